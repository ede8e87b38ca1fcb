package io.ocppsec.iso15118.envelope;

import java.security.PrivateKey;
import java.util.Objects;

/** The outcome of opening a {@link SealedKey}. */
public sealed interface Unsealed permits Unsealed.Opened, Unsealed.Refused {

    /** Why a sealed key was refused. */
    enum Reason {
        /** Wrong field lengths, a DH public key that is no point of the curve, bad AAD inputs. */
        MALFORMED,
        /** AES-GCM authentication failed (-20): tampered or wrong key/AAD. */
        DECRYPTION_FAILED,
        /** The decrypted value is not a private key: 0 or ≥ n [V2G2-823], or the 7 padding bits of a P-521 key are set. */
        OUT_OF_RANGE,
        /** The decrypted key is not the private key of the contract certificate [V2G2-823]. */
        KEY_MISMATCH
    }

    /** The contract private key, checked against the contract certificate's public key. */
    record Opened(PrivateKey contractKey) implements Unsealed {
        public Opened {
            Objects.requireNonNull(contractKey, "contractKey");
        }

        @Override
        public String toString() {
            return "Opened[" + contractKey.getAlgorithm() + " private key]";
        }
    }

    /** Refused; {@code detail} names what failed, never key material. */
    record Refused(Reason reason, String detail) implements Unsealed {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
