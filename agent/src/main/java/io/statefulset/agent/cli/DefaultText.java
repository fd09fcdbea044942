package io.statefulset.agent.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default of a flag whose value is worked out at run time (from the pod's name, env, another flag), as
 * {@code --help} shows it. A flag with a fixed default has a picocli {@code defaultValue} instead, which is both
 * the value the code gets and the text --help prints.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface DefaultText {
    String value();
}
