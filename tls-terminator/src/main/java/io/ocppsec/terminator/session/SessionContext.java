package io.ocppsec.terminator.session;

import io.ocppsec.terminator.Metrics;
import io.ocppsec.terminator.SecurityEvents;
import io.ocppsec.terminator.TerminatorConfig;
import io.ocppsec.terminator.actions.SecurityActions;
import tools.jackson.databind.json.JsonMapper;

/** What every station session shares. */
public record SessionContext(TerminatorConfig config, Metrics metrics, SecurityEvents events, Sessions sessions,
                             SecurityActions actions, UpstreamFactory upstreams, StationRegistry registry,
                             JsonMapper json) {

    /** Opens the upstream side of a new session: a CSMS connection, or standalone mode. */
    public interface UpstreamFactory {
        Upstream open(StationSession session);
    }

    /** Tells pki-service which stations this terminator holds. */
    public interface StationRegistry {
        void opened(StationSession session);

        void closed(StationSession session);
    }
}
