package io.statefulset.agent.manifests;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A rendered object parsed into fabric8's typed Kubernetes model, strictly: the model's classes keep unknown fields
 * in an "additional properties" map, which would let {@code imagePullPolicyy} through, so that map is switched off
 * and an unknown field, or a value of the wrong type, fails with its path in the object.
 */
final class TypedModel {
    /** apiVersion/kind -> model class: the kinds k8s/ renders. A new kind fails until it is added here. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class,
            "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class);

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .addModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                                                             BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    builder.setIgnoreUnknownProperties(false);
                    return builder;
                }
            }))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Kubernetes refuses "3" for an integer and 3 for a string; Jackson would convert both.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private TypedModel() {}

    /** The object as its model class; {@link InvalidObject} names the object, the field's path and the problem. */
    static HasMetadata parse(Map<String, Object> object, String origin) {
        String key = object.get("apiVersion") + "/" + object.get("kind");
        Class<? extends HasMetadata> type = KINDS.get(key);
        String name = origin + ": " + object.get("kind") + "/" + nameOf(object);
        if (type == null) {
            throw new InvalidObject(name + ": no model class for " + key + " in TypedModel.KINDS; known: "
                    + KINDS.keySet().stream().sorted().toList());
        }
        try {
            return STRICT.convertValue(object, type);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonMappingException m) throw new InvalidObject(name + ": " + describe(m), m);
            throw e;
        }
    }

    private static String describe(JsonMappingException e) {
        String path = path(e);
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "?" : u.getKnownPropertyIds().stream().map(String::valueOf)
                    .sorted().collect(Collectors.joining(", "));
            return path + ": unknown field '" + u.getPropertyName() + "' (" + u.getReferringClass().getSimpleName()
                    + " has: " + known + ")";
        }
        return path + ": " + e.getOriginalMessage();
    }

    /** spec.template.spec.containers[1].imagePullPolicy, from Jackson's reference chain. */
    static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (out.length() > 0) out.append('.');
                out.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "(the object)" : out.toString();
    }

    private static Object nameOf(Map<String, Object> object) {
        return object.get("metadata") instanceof Map<?, ?> m ? m.get("name") : null;
    }

    /** A rendered object the Kubernetes API would refuse. */
    static final class InvalidObject extends RuntimeException {
        InvalidObject(String message) {
            super(message);
        }

        InvalidObject(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
