package io.ocppsec.terminator.actions;

import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.terminator.session.StationSession;

/** Answers one security action from a station (one class per action, design §6). */
public interface ActionHandler {

    /** The OCPP action name. */
    String action();

    /**
     * Handles a well-formed CALL whose payload met its schema. Must answer it exactly once, on any
     * thread, through {@link StationSession#answer}.
     */
    void handle(StationSession session, RpcFrame.Call call);
}
