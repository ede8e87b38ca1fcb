package io.ocppsec.ocpp.message;

import static io.ocppsec.ocpp.schema.Shapes.array;
import static io.ocppsec.ocpp.schema.Shapes.bool;
import static io.ocppsec.ocpp.schema.Shapes.dateTime;
import static io.ocppsec.ocpp.schema.Shapes.enumOf;
import static io.ocppsec.ocpp.schema.Shapes.integer;
import static io.ocppsec.ocpp.schema.Shapes.number;
import static io.ocppsec.ocpp.schema.Shapes.object;
import static io.ocppsec.ocpp.schema.Shapes.oneOf;
import static io.ocppsec.ocpp.schema.Shapes.string;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.type.ApnAuthentication;
import io.ocppsec.ocpp.message.type.Attribute;
import io.ocppsec.ocpp.message.type.AuthorizationStatus;
import io.ocppsec.ocpp.message.type.AuthorizeCertificateStatus;
import io.ocppsec.ocpp.message.type.BootReason;
import io.ocppsec.ocpp.message.type.CertificateAction;
import io.ocppsec.ocpp.message.type.CertificateSignedStatus;
import io.ocppsec.ocpp.message.type.CertificateSigningUse;
import io.ocppsec.ocpp.message.type.CertificateStatusEnum;
import io.ocppsec.ocpp.message.type.CertificateStatusSource;
import io.ocppsec.ocpp.message.type.DeleteCertificateStatus;
import io.ocppsec.ocpp.message.type.EnergyTransferMode;
import io.ocppsec.ocpp.message.type.FirmwareStatus;
import io.ocppsec.ocpp.message.type.GenericStatus;
import io.ocppsec.ocpp.message.type.GetCertificateIdUse;
import io.ocppsec.ocpp.message.type.GetCertificateStatusEnum;
import io.ocppsec.ocpp.message.type.GetInstalledCertificateStatus;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.message.type.InstallCertificateStatus;
import io.ocppsec.ocpp.message.type.InstallCertificateUse;
import io.ocppsec.ocpp.message.type.Iso15118EVCertificateStatus;
import io.ocppsec.ocpp.message.type.MessageFormat;
import io.ocppsec.ocpp.message.type.MessageTrigger;
import io.ocppsec.ocpp.message.type.OcppInterface;
import io.ocppsec.ocpp.message.type.OcppTransport;
import io.ocppsec.ocpp.message.type.OcppVersionEnum;
import io.ocppsec.ocpp.message.type.RegistrationStatus;
import io.ocppsec.ocpp.message.type.SetNetworkProfileStatus;
import io.ocppsec.ocpp.message.type.SetVariableStatus;
import io.ocppsec.ocpp.message.type.TriggerMessageStatus;
import io.ocppsec.ocpp.message.type.UpdateFirmwareStatus;
import io.ocppsec.ocpp.message.type.VpnEnum;
import io.ocppsec.ocpp.schema.ObjectShape;
import io.ocppsec.ocpp.schema.Shape;
import io.ocppsec.ocpp.schema.Shapes;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The message rules of OCPP 2.0.1 and 2.1 for every {@link Action}: which fields each request and
 * response has, which are required, their types, lengths and enumerations. Written out from the
 * official JSON schemas of each version (OCPP 2.0.1 Edition 3, OCPP 2.1 Edition 1) and held
 * against them by the schema oracle tests. Where a rule differs between the versions the
 * difference is spelled out in place: {@code len(v201, v21)}, {@code optionalIf(is21, ...)}.
 */
public final class MessageSchemas {

    private static final MessageSchemas V201 = new MessageSchemas(OcppVersion.OCPP_2_0_1);
    private static final MessageSchemas V21 = new MessageSchemas(OcppVersion.OCPP_2_1);

    /** The rules of one version. */
    public static MessageSchemas of(OcppVersion version) {
        return switch (version) {
            case OCPP_2_0_1 -> V201;
            case OCPP_2_1 -> V21;
            case OCPP_1_6 -> throw new IllegalArgumentException("no typed messages for OCPP 1.6");
        };
    }

    private final OcppVersion version;
    private final boolean is21;
    private final Map<Action, ObjectShape> requests = new EnumMap<>(Action.class);
    private final Map<Action, ObjectShape> responses = new EnumMap<>(Action.class);

    private MessageSchemas(OcppVersion version) {
        this.version = version;
        this.is21 = version == OcppVersion.OCPP_2_1;
        define();
    }

    public OcppVersion version() {
        return version;
    }

    /** The request rules of {@code action}; null when the action does not exist in this version. */
    public ObjectShape request(Action action) {
        return requests.get(action);
    }

    /** The response rules of {@code action}; null when the action does not exist in this version. */
    public ObjectShape response(Action action) {
        return responses.get(action);
    }

    /** A length that differs between the versions. */
    private int len(int v201, int v21) {
        return is21 ? v21 : v201;
    }

    // ---------------------------------------------------------------- common data types

    private ObjectShape statusInfo() {
        return object()
                .required("reasonCode", string(20))
                .optional("additionalInfo", string(len(512, 1024)))
                .build();
    }

    private Shape hashAlgorithm() {
        return enumOf(HashAlgorithm.class);
    }

    private ObjectShape certificateHashData() {
        return object()
                .required("hashAlgorithm", hashAlgorithm())
                .required("issuerNameHash", string(128))
                .required("issuerKeyHash", string(128))
                .required("serialNumber", string(40))
                .build();
    }

    private ObjectShape ocspRequestData() {
        return object()
                .required("hashAlgorithm", hashAlgorithm())
                .required("issuerNameHash", string(128))
                .required("issuerKeyHash", string(128))
                .required("serialNumber", string(40))
                .required("responderURL", string(len(512, 2000)))
                .build();
    }

    private ObjectShape evse() {
        return object()
                .required("id", is21 ? integer(0) : integer())
                .optional("connectorId", is21 ? integer(0) : integer())
                .build();
    }

    private Shape certificateSigningUse() {
        return is21 ? enumOf(CertificateSigningUse.class)
                : enumOf(CertificateSigningUse.class, CertificateSigningUse.V2G20Certificate);
    }

    private Shape getCertificateIdUse() {
        return is21 ? enumOf(GetCertificateIdUse.class)
                : enumOf(GetCertificateIdUse.class, GetCertificateIdUse.OEMRootCertificate);
    }

    private ObjectShape idToken() {
        ObjectShape additionalInfo = object()
                .required("additionalIdToken", string(len(36, 255)))
                .required("type", string(50))
                .build();
        Shape type = is21 ? string(20) : oneOf(List.of(
                "Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization"));
        return object()
                .optional("additionalInfo", array(additionalInfo, 1))
                .required("idToken", string(len(36, 255)))
                .required("type", type)
                .build();
    }

    private ObjectShape messageContent() {
        return object()
                .required("format", is21 ? enumOf(MessageFormat.class) : enumOf(MessageFormat.class, MessageFormat.QRCODE))
                .optional("language", string(8))
                .required("content", string(len(512, 1024)))
                .build();
    }

    /** ComponentType; also used by {@link CoreSchemas} (NotifyEvent). */
    ObjectShape component() {
        return object()
                .optional("evse", evse())
                .required("name", string(50))
                .optional("instance", string(50))
                .build();
    }

    /** VariableType; also used by {@link CoreSchemas} (NotifyEvent). */
    ObjectShape variable() {
        return object()
                .required("name", string(50))
                .optional("instance", string(50))
                .build();
    }

    private ObjectShape response(Shape statusEnum) {
        return object()
                .required("status", statusEnum)
                .optional("statusInfo", statusInfo())
                .build();
    }

    // ---------------------------------------------------------------- messages

    private void define() {
        requests.put(Action.Authorize, object()
                .required("idToken", idToken())
                .optional("certificate", string(len(5500, 10000)))
                .optional("iso15118CertificateHashData", array(ocspRequestData(), 1, 4))
                .build());
        responses.put(Action.Authorize, authorizeResponse());

        ObjectShape modem = object()
                .optional("iccid", string(20))
                .optional("imsi", string(20))
                .build();
        requests.put(Action.BootNotification, object()
                .required("chargingStation", object()
                        .optional("serialNumber", string(25))
                        .required("model", string(20))
                        .optional("modem", modem)
                        .required("vendorName", string(50))
                        .optional("firmwareVersion", string(50))
                        .build())
                .required("reason", enumOf(BootReason.class))
                .build());
        responses.put(Action.BootNotification, object()
                .required("currentTime", dateTime())
                .required("interval", integer())
                .required("status", enumOf(RegistrationStatus.class))
                .optional("statusInfo", statusInfo())
                .build());

        requests.put(Action.CertificateSigned, object()
                .required("certificateChain", string(10000))
                .optional("certificateType", certificateSigningUse())
                .optionalIf(is21, "requestId", integer())
                .build());
        responses.put(Action.CertificateSigned, response(enumOf(CertificateSignedStatus.class)));

        requests.put(Action.DeleteCertificate, object()
                .required("certificateHashData", certificateHashData())
                .build());
        responses.put(Action.DeleteCertificate, response(enumOf(DeleteCertificateStatus.class)));

        requests.put(Action.FirmwareStatusNotification, object()
                .required("status", enumOf(FirmwareStatus.class))
                .optional("requestId", integer())
                .optionalIf(is21, "statusInfo", statusInfo())
                .build());
        responses.put(Action.FirmwareStatusNotification, object().build());

        requests.put(Action.Get15118EVCertificate, object()
                .required("iso15118SchemaVersion", string(50))
                .required("action", enumOf(CertificateAction.class))
                .required("exiRequest", string(len(5600, 11000)))
                .optionalIf(is21, "maximumContractCertificateChains", integer(0))
                .optionalIf(is21, "prioritizedEMAIDs", array(string(255), 1, 8))
                .build());
        responses.put(Action.Get15118EVCertificate, object()
                .required("status", enumOf(Iso15118EVCertificateStatus.class))
                .optional("statusInfo", statusInfo())
                .required("exiResponse", string(len(5600, 17000)))
                .optionalIf(is21, "remainingContracts", integer(0))
                .build());

        if (is21) {
            requests.put(Action.GetCertificateChainStatus, object()
                    .required("certificateStatusRequests", array(object()
                            .required("certificateHashData", certificateHashData())
                            .required("source", enumOf(CertificateStatusSource.class))
                            .required("urls", array(string(2000), 1, 5))
                            .build(), 1, 4))
                    .build());
            responses.put(Action.GetCertificateChainStatus, object()
                    .required("certificateStatus", array(object()
                            .required("certificateHashData", certificateHashData())
                            .required("source", enumOf(CertificateStatusSource.class))
                            .required("status", enumOf(CertificateStatusEnum.class))
                            .required("nextUpdate", dateTime())
                            .build(), 1, 4))
                    .build());
        }

        requests.put(Action.GetCertificateStatus, object()
                .required("ocspRequestData", ocspRequestData())
                .build());
        responses.put(Action.GetCertificateStatus, object()
                .required("status", enumOf(GetCertificateStatusEnum.class))
                .optional("statusInfo", statusInfo())
                .optional("ocspResult", string(len(5500, 18000)))
                .build());

        requests.put(Action.GetInstalledCertificateIds, object()
                .optional("certificateType", array(getCertificateIdUse(), 1))
                .build());
        responses.put(Action.GetInstalledCertificateIds, object()
                .required("status", enumOf(GetInstalledCertificateStatus.class))
                .optional("statusInfo", statusInfo())
                .optional("certificateHashDataChain", array(object()
                        .required("certificateHashData", certificateHashData())
                        .required("certificateType", getCertificateIdUse())
                        .optional("childCertificateHashData", array(certificateHashData(), 1, 4))
                        .build(), 1))
                .build());

        requests.put(Action.InstallCertificate, object()
                .required("certificateType", is21 ? enumOf(InstallCertificateUse.class)
                        : enumOf(InstallCertificateUse.class, InstallCertificateUse.OEMRootCertificate))
                .required("certificate", string(len(5500, 10000)))
                .build());
        responses.put(Action.InstallCertificate, response(enumOf(InstallCertificateStatus.class)));

        requests.put(Action.SecurityEventNotification, object()
                .required("type", string(50))
                .required("timestamp", dateTime())
                .optional("techInfo", string(255))
                .build());
        responses.put(Action.SecurityEventNotification, object().build());

        requests.put(Action.SetNetworkProfile, object()
                .required("configurationSlot", integer())
                .required("connectionData", networkConnectionProfile())
                .build());
        responses.put(Action.SetNetworkProfile, response(enumOf(SetNetworkProfileStatus.class)));

        requests.put(Action.SetVariables, object()
                .required("setVariableData", array(object()
                        .optional("attributeType", enumOf(Attribute.class))
                        .required("attributeValue", string(len(1000, 2500)))
                        .required("component", component())
                        .required("variable", variable())
                        .build(), 1))
                .build());
        responses.put(Action.SetVariables, object()
                .required("setVariableResult", array(object()
                        .optional("attributeType", enumOf(Attribute.class))
                        .required("attributeStatus", enumOf(SetVariableStatus.class))
                        .optional("attributeStatusInfo", statusInfo())
                        .required("component", component())
                        .required("variable", variable())
                        .build(), 1))
                .build());

        requests.put(Action.SignCertificate, object()
                .required("csr", string(5500))
                .optional("certificateType", certificateSigningUse())
                .optionalIf(is21, "hashRootCertificate", certificateHashData())
                .optionalIf(is21, "requestId", integer())
                .build());
        responses.put(Action.SignCertificate, response(enumOf(GenericStatus.class)));

        requests.put(Action.TriggerMessage, object()
                .optional("evse", evse())
                .required("requestedMessage", is21 ? enumOf(MessageTrigger.class)
                        : enumOf(MessageTrigger.class, MessageTrigger.SignV2G20Certificate, MessageTrigger.CustomTrigger))
                .optionalIf(is21, "customTrigger", string(50))
                .build());
        responses.put(Action.TriggerMessage, response(enumOf(TriggerMessageStatus.class)));

        requests.put(Action.UpdateFirmware, object()
                .optional("retries", is21 ? integer(0) : integer())
                .optional("retryInterval", integer())
                .required("requestId", integer())
                .required("firmware", object()
                        .required("location", string(len(512, 2000)))
                        .required("retrieveDateTime", dateTime())
                        .optional("installDateTime", dateTime())
                        .optional("signingCertificate", string(5500))
                        .optional("signature", string(800))
                        .build())
                .build());
        responses.put(Action.UpdateFirmware, response(enumOf(UpdateFirmwareStatus.class)));
    }

    private ObjectShape authorizeResponse() {
        ObjectShape idTokenInfo = object()
                .required("status", enumOf(AuthorizationStatus.class))
                .optional("cacheExpiryDateTime", dateTime())
                .optional("chargingPriority", integer())
                .optional("language1", string(8))
                .optional("evseId", array(is21 ? integer(0) : integer(), 1))
                .optional("groupIdToken", idToken())
                .optional("language2", string(8))
                .optional("personalMessage", messageContent())
                .build();
        return object()
                .required("idTokenInfo", idTokenInfo)
                .optional("certificateStatus", enumOf(AuthorizeCertificateStatus.class))
                .optionalIf(is21, "allowedEnergyTransfer", array(enumOf(EnergyTransferMode.class), 1))
                .optionalIf(is21, "tariff", is21 ? tariff() : null)
                .build();
    }

    private ObjectShape networkConnectionProfile() {
        ObjectShape apn = object()
                .required("apn", string(len(512, 2000)))
                .optional("apnUserName", string(len(20, 50)))
                .optional("apnPassword", string(len(20, 64)))
                .optional("simPin", integer())
                .optional("preferredNetwork", string(6))
                .optional("useOnlyPreferredNetwork", bool())
                .required("apnAuthentication", enumOf(ApnAuthentication.class))
                .build();
        ObjectShape vpn = object()
                .required("server", string(len(512, 2000)))
                .required("user", string(len(20, 50)))
                .optional("group", string(len(20, 50)))
                .required("password", string(len(20, 64)))
                .required("key", string(255))
                .required("type", enumOf(VpnEnum.class))
                .build();
        var b = object().optional("apn", apn);
        if (is21) {
            b.optional("ocppVersion", enumOf(OcppVersionEnum.class));
        } else {
            b.required("ocppVersion", enumOf(OcppVersionEnum.class, OcppVersionEnum.OCPP201, OcppVersionEnum.OCPP21));
        }
        return b.required("ocppTransport", enumOf(OcppTransport.class))
                .required("ocppCsmsUrl", string(len(512, 2000)))
                .required("messageTimeout", integer())
                .required("securityProfile", is21 ? integer(0) : integer())
                .required("ocppInterface", is21 ? enumOf(OcppInterface.class) : enumOf(OcppInterface.class, OcppInterface.Any))
                .optional("vpn", vpn)
                .optionalIf(is21, "identity", string(48))
                .optionalIf(is21, "basicAuthPassword", string(64))
                .build();
    }

    /**
     * OCPP 2.1 TariffType (AuthorizeResponse.tariff). Checked so that a schema-invalid tariff is
     * refused, but not modelled as records: tariffs are the CSMS's business, not this service's.
     */
    private ObjectShape tariff() {
        Shape dayOfWeek = oneOf(List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"));
        Shape evseKind = oneOf(List.of("AC", "DC"));
        ObjectShape taxRate = object()
                .required("type", string(20))
                .required("tax", number())
                .optional("stack", integer(0))
                .build();
        ObjectShape conditions = tariffConditions(dayOfWeek, evseKind)
                .optional("minEnergy", number())
                .optional("maxEnergy", number())
                .optional("minCurrent", number())
                .optional("maxCurrent", number())
                .optional("minPower", number())
                .optional("maxPower", number())
                .optional("minTime", integer())
                .optional("maxTime", integer())
                .optional("minChargingTime", integer())
                .optional("maxChargingTime", integer())
                .optional("minIdleTime", integer())
                .optional("maxIdleTime", integer())
                .build();
        ObjectShape conditionsFixed = tariffConditions(dayOfWeek, evseKind)
                .optional("paymentBrand", string(20))
                .optional("paymentRecognition", string(20))
                .build();
        ObjectShape energy = tariffPrices("priceKwh", conditions, taxRate);
        ObjectShape time = tariffPrices("priceMinute", conditions, taxRate);
        ObjectShape fixed = tariffPrices("priceFixed", conditionsFixed, taxRate);
        ObjectShape price = object()
                .optional("exclTax", number())
                .optional("inclTax", number())
                .optional("taxRates", array(taxRate, 1, 5))
                .build();
        return object()
                .required("tariffId", string(60))
                .optional("description", array(messageContent(), 1, 10))
                .required("currency", string(3))
                .optional("energy", energy)
                .optional("validFrom", dateTime())
                .optional("chargingTime", time)
                .optional("idleTime", time)
                .optional("fixedFee", fixed)
                .optional("reservationTime", time)
                .optional("reservationFixed", fixed)
                .optional("minCost", price)
                .optional("maxCost", price)
                .build();
    }

    /** The conditions TariffConditionsType and TariffConditionsFixedType have in common. */
    private static Shapes.ObjectBuilder tariffConditions(Shape dayOfWeek, Shape evseKind) {
        return object()
                .optional("startTimeOfDay", string())
                .optional("endTimeOfDay", string())
                .optional("dayOfWeek", array(dayOfWeek, 1, 7))
                .optional("validFromDate", string())
                .optional("validToDate", string())
                .optional("evseKind", evseKind);
    }

    /** TariffEnergyType, TariffTimeType, TariffFixedType: prices with conditions, and tax rates. */
    private static ObjectShape tariffPrices(String priceField, ObjectShape conditions, ObjectShape taxRate) {
        return object()
                .required("prices", array(object()
                        .required(priceField, number())
                        .optional("conditions", conditions)
                        .build(), 1))
                .optional("taxRates", array(taxRate, 1, 5))
                .build();
    }
}
