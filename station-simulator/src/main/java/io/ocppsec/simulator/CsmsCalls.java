package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.Action;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The routing table: which handler answers which CSMS action. Actions not listed are answered with
 * CALLERROR NotSupported when OCPP knows them and NotImplemented otherwise (OCPP-J §4.3).
 */
final class CsmsCalls {
    private static final Map<Action, CsmsCallHandler> HANDLERS = new EnumMap<>(Action.class);

    static {
        HANDLERS.put(Action.CertificateSigned, new CertificateSignedHandler());
        HANDLERS.put(Action.TriggerMessage, new TriggerMessageHandler());
        HANDLERS.put(Action.SetVariables, new SetVariablesHandler());
        HANDLERS.put(Action.GetInstalledCertificateIds, new GetInstalledCertificateIdsHandler());
        HANDLERS.put(Action.InstallCertificate, new InstallCertificateHandler());
        HANDLERS.put(Action.DeleteCertificate, new DeleteCertificateHandler());
    }

    private CsmsCalls() {
    }

    /** The handler of an action, if the station answers it. */
    static Optional<CsmsCallHandler> handler(Action action) {
        return Optional.ofNullable(HANDLERS.get(action));
    }
}
