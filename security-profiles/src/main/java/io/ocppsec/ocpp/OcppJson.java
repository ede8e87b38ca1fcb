package io.ocppsec.ocpp;

import io.ocppsec.ocpp.rpc.RpcLimits;
import io.ocppsec.ocpp.schema.OcppDateTime;
import java.time.OffsetDateTime;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The one Jackson configuration for OCPP JSON: bounded reading (frame size, nesting, number and
 * name lengths, token count), duplicate property names refused (two parsers must never disagree
 * on what a message says), trailing garbage refused, floating-point numbers read exactly,
 * {@code null} fields never written, date-times written as OCPP wants them.
 */
public final class OcppJson {
    private static final OcppJson DEFAULT = new OcppJson(RpcLimits.DEFAULT);

    private final RpcLimits limits;
    private final JsonFactory factory;
    private final JsonMapper mapper;

    private OcppJson(RpcLimits limits) {
        this.limits = limits;
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxDocumentLength(limits.maxFrameBytes())
                .maxNestingDepth(limits.maxNestingDepth())
                .maxNumberLength(limits.maxNumberLength())
                .maxNameLength(limits.maxNameLength())
                .maxStringLength(limits.maxFrameBytes())
                .maxTokenCount(limits.maxTokenCount())
                .build();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        SimpleModule time = new SimpleModule("ocpp-date-time");
        time.addSerializer(OffsetDateTime.class, new DateTimeWriter());
        time.addDeserializer(OffsetDateTime.class, new DateTimeReader());
        this.mapper = JsonMapper.builder(factory)
                .addModule(time)
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .changeDefaultPropertyInclusion(incl -> incl
                        .withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                        .withContentInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
                .build();
    }

    /** The configuration with {@link RpcLimits#DEFAULT}. */
    public static OcppJson standard() {
        return DEFAULT;
    }

    /** A configuration with other limits. */
    public static OcppJson withLimits(RpcLimits limits) {
        return limits.equals(RpcLimits.DEFAULT) ? DEFAULT : new OcppJson(limits);
    }

    public RpcLimits limits() {
        return limits;
    }

    /** The streaming factory, for the frame header fast path. */
    public JsonFactory factory() {
        return factory;
    }

    public JsonMapper mapper() {
        return mapper;
    }

    private static final class DateTimeWriter extends ValueSerializer<OffsetDateTime> {
        @Override
        public void serialize(OffsetDateTime value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(OcppDateTime.format(value));
        }
    }

    private static final class DateTimeReader extends ValueDeserializer<OffsetDateTime> {
        @Override
        public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (OffsetDateTime) ctxt.handleUnexpectedToken(OffsetDateTime.class, p);
            }
            String s = p.getString();
            return OcppDateTime.parse(s).orElseGet(() ->
                    (OffsetDateTime) ctxt.handleWeirdStringValue(OffsetDateTime.class, s, "not an RFC 3339 date-time"));
        }
    }
}
