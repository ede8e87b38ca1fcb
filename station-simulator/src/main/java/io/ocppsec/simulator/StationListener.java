package io.ocppsec.simulator;

/**
 * Receives a station's {@link StationEvent}s, on the station's event loop thread, in order. It
 * must return quickly and never block: thousands of stations may share that thread.
 */
@FunctionalInterface
public interface StationListener {
    /** A listener that ignores everything. */
    StationListener NONE = event -> { };

    void onEvent(StationEvent event);
}
