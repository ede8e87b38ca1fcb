package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.message.OcppResponse;

/**
 * Answers one action the CSMS may call on a station. One class per action; {@link CsmsCalls} is the
 * routing table. Handlers run on the station's event loop.
 */
interface CsmsCallHandler {

    /** The answer to a request whose payload met its schema. */
    Reply handle(OcppRequest request, StationContext station);

    /**
     * The response and what to do once it is on the wire (e.g. send the message a TriggerMessage
     * asked for, F06.FR.04: the response goes first).
     */
    record Reply(OcppResponse response, Runnable afterSent) {
        static Reply of(OcppResponse response) {
            return new Reply(response, null);
        }

        static Reply then(OcppResponse response, Runnable afterSent) {
            return new Reply(response, afterSent);
        }
    }
}
