package io.statefulset.agent.cli;

import io.statefulset.agent.common.identity.HostPort;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code host[:port]} of a mysqld (a CLONE donor): the port defaults to MySQL's. */
final class MysqlPortConverter implements ITypeConverter<HostPort> {
    static final int MYSQL_PORT = 3306;

    @Override
    public HostPort convert(String value) {
        try {
            return HostPort.parse(value, MYSQL_PORT);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
