#!/bin/bash
# Creates one schema and one user per fapiao component. Runs once, on an empty data directory
# (docker-entrypoint-initdb.d); shared by k8s/ (ConfigMap) and docker-compose.yml (bind mount).
set -euo pipefail
create() { # schema user password
  mysql -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
CREATE DATABASE IF NOT EXISTS \`$1\` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;
CREATE USER IF NOT EXISTS '$2'@'%' IDENTIFIED BY '$3';
GRANT ALL PRIVILEGES ON \`$1\`.* TO '$2'@'%';
SQL
}
create fapiao_auth fapiao_auth "$PW_AUTH"
create fapiao_order fapiao_order "$PW_ORDER"
create fapiao_invoice fapiao_invoice "$PW_INVOICE"
create fapiao_tax fapiao_tax "$PW_TAX_BRIDGE"
create fapiao_recon fapiao_recon "$PW_RECONCILIATION"
create fapiao_sim fapiao_sim "$PW_TAX_AUTHORITY_SIM"
