package io.statefulset.agent.mysql;

import io.statefulset.agent.common.secret.SecretSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The driver's data source, asked for each new connection with the password current at that moment. The pool
 * ({@code HikariCP}) holds a user and password fixed at start; through this one its next connection after a rotation
 * uses the new password, while open connections stay as they are (mysqld keeps authenticated sessions).
 */
final class CurrentPasswordDataSource implements DataSource {
    private final DataSource driver;
    private final String user;
    private final Optional<SecretSource> password;

    CurrentPasswordDataSource(DataSource driver, String user, Optional<SecretSource> password) {
        this.driver = driver;
        this.user = user;
        this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return driver.getConnection(user, password.map(p -> p.current().reveal()).orElse(null));
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        return driver.getConnection(username, pass);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return driver.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        driver.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        driver.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return driver.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        if (iface.isInstance(driver)) return iface.cast(driver);
        return driver.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(driver) || driver.isWrapperFor(iface);
    }
}
