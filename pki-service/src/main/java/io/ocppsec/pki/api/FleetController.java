package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.fleet.FleetView;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/fleet?status=&after=&limit=}: per station its current certificate, days left,
 * certificate status, renewal status and whether a terminator holds it, in identity order, a page
 * at a time ({@code next} is the {@code after} of the following page). See {@link FleetView}.
 */
@RestController
@RequiresRole(Role.CSMS)
@RequestMapping("/api/v1/fleet")
public class FleetController {
    private final FleetView fleet;

    public FleetController(FleetView fleet) {
        this.fleet = fleet;
    }

    @GetMapping
    public FleetView.Page fleet(@RequestParam(name = "status", required = false) String status,
                                @RequestParam(name = "after", required = false) String after,
                                @RequestParam(name = "limit", defaultValue = "100") String limit) {
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = -1;
        }
        return fleet.page(status, after, n);
    }
}
