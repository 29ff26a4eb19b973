#!/usr/bin/env bash
# Makes sure a MySQL answers at MYSQL_URL (default mysql://root@127.0.0.1:3306). When nothing answers at
# the default address and we are root, installs Debian's mariadb-server if it is missing, starts it and
# gives the development account the project expects (root with an empty password over TCP, loopback
# only). A MYSQL_URL pointing elsewhere is only checked: we never install or change someone else's server.
set -euo pipefail

url="${MYSQL_URL:-mysql://root@127.0.0.1:3306}"
default_url="mysql://root@127.0.0.1:3306"
say() { echo "ensure-mariadb: $*" >&2; }

# A login, not `mysqladmin ping`: ping succeeds on "access denied" too.
tcp_login() { mariadb --protocol=tcp -h127.0.0.1 -P3306 -uroot --connect-timeout=2 -e 'SELECT 1' >/dev/null 2>&1; }

if [[ "$url" != "$default_url" ]]; then
  say "MYSQL_URL is set to another server; not installing or starting anything"
  exit 0
fi
if command -v mariadb >/dev/null && tcp_login; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  say "nothing answers at $default_url and only root can install MariaDB: run 'sudo $0', or set MYSQL_URL"
  exit 1
fi

socket_ping() { mysqladmin -uroot --connect-timeout=2 ping >/dev/null 2>&1; }
if (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null && ! socket_ping; then
  say "a server listens on 127.0.0.1:3306 that is not this machine's MariaDB, and root cannot log in without a password: set MYSQL_URL=mysql://user:password@127.0.0.1:3306"
  exit 1
fi

if [[ ! -x /usr/sbin/mariadbd ]]; then
  say "installing Debian's mariadb-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq mariadb-server >/dev/null
fi

if ! socket_ping; then
  say "starting mariadbd"
  install -d -o mysql -g mysql /run/mysqld
  # A redo log of 1 GB instead of Debian's 96 MB: at 300 invoices/s the suite writes ~15 MB of redo a
  # second, and a full log stalls every writer for seconds (docs/benchmarks.md, session 15).
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql \
    --innodb-log-file-size=1G
  for _ in $(seq 1 60); do
    socket_ping && break
    sleep 1
  done
  socket_ping || { say "mariadbd did not answer within 60 s"; exit 1; }
fi

if ! tcp_login; then
  # A fresh Debian install lets root in through the socket only. Development only: bind-address is
  # 127.0.0.1 in Debian's config, and these accounts exist on loopback alone.
  say "granting root with an empty password on 127.0.0.1 and ::1 (development only)"
  mariadb -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'root'@'::1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'::1' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
FLUSH PRIVILEGES;
SQL
fi
tcp_login || { say "MariaDB runs but root cannot log in over TCP at 127.0.0.1:3306"; exit 1; }
say "MariaDB answers at $default_url"
