package io.ocppsec.pki.config;

import java.util.Map;

/** Where the keys are, for operators: the backend and the locations of its files or services. */
public interface CustodyDescription {
    Map<String, String> describe();
}
