package io.github.randomgradient.djl;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.protobuf.ProtoProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.RootProvenanceProto;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import java.util.List;

/**
 * Serialises configurable components (block factories, converters) as the OLCUT provenance of
 * their configuration, and rebuilds them through OLCUT's {@link ConfigurationManager}. Any
 * {@code Configurable} implementation, including users' own, round-trips without a protobuf
 * message of its own.
 */
public final class ComponentSerialization {

    private static final ProtoProvenanceSerialization SERIALIZER = new ProtoProvenanceSerialization(false);

    private ComponentSerialization() {}

    /**
     * Serialises a component's configuration.
     * @param component The component.
     * @return Its provenance as an {@link Any} wrapping OLCUT's {@link RootProvenanceProto}.
     */
    public static Any toProto(Provenancable<ConfiguredObjectProvenance> component) {
        return Any.pack(SERIALIZER.serializeToProto(ProvenanceUtil.marshalProvenance(component.getProvenance())));
    }

    /**
     * Rebuilds a component from its serialised configuration.
     * @param message The {@link Any} written by {@link #toProto}.
     * @param type The expected component type.
     * @param field The field it was stored in, for error messages.
     * @param <C> The component type.
     * @return A new component configured identically.
     * @throws InvalidProtocolBufferException If the message is not OLCUT provenance.
     * @throws IllegalStateException If the rebuilt object is not a {@code type}.
     */
    public static <C> C fromProto(Any message, Class<C> type, String field) throws InvalidProtocolBufferException {
        RootProvenanceProto proto = message.unpack(RootProvenanceProto.class);
        ObjectProvenance provenance = ProvenanceUtil.unmarshalProvenance(SERIALIZER.deserializeFromProto(proto));
        return fromProvenance(provenance, type, field);
    }

    /**
     * Rebuilds a component from its provenance.
     * @param provenance The component's provenance.
     * @param type The expected component type.
     * @param field A name for error messages.
     * @param <C> The component type.
     * @return A new component configured identically.
     * @throws IllegalStateException If the rebuilt object is not a {@code type}.
     */
    public static <C> C fromProvenance(ObjectProvenance provenance, Class<C> type, String field) {
        List<ConfigurationData> configs = ProvenanceUtil.extractConfiguration(provenance);
        if (configs.isEmpty()) {
            throw new IllegalStateException(field + ": the stored provenance holds no configurable object");
        }
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(configs);
        Object component = cm.lookup(configs.get(0).getName());
        if (!type.isInstance(component)) {
            throw new IllegalStateException(field + ": expected a " + type.getName() + ", the stored configuration built a "
                    + (component == null ? "null" : component.getClass().getName()));
        }
        return type.cast(component);
    }
}
