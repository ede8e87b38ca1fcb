package io.ocppsec.terminator.session;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.ocppsec.ocpp.rpc.FrameHeader;

/** Where a station's traffic goes that the terminator does not answer itself: a CSMS, or standalone mode. */
public interface Upstream {

    /** A message from the station (a CALL that is not intercepted, an answer, a SEND). Takes ownership of {@code frame}. */
    void fromStation(FrameHeader header, TextWebSocketFrame frame);

    /** Whether the upstream can take more now (backpressure). */
    boolean writable();

    /** The station went away: close with the same code. */
    void stationClosed(int code, String reason);

    /** Resume or stop reading from the upstream (backpressure from the station side). */
    void setReading(boolean reading);
}
