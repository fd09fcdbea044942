package io.statefulset.agent.cli;

import io.statefulset.agent.clone.CloneMethod;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code auto}, {@code xbstream} or {@code clone-plugin}. */
final class CloneMethodConverter implements ITypeConverter<CloneMethod> {
    @Override
    public CloneMethod convert(String value) {
        try {
            return CloneMethod.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
