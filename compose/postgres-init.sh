#!/bin/sh
# Runs once, when the postgres container makes its data folder, as the image's superuser.
# The owner role makes the schema (migrate); the application role only reads and writes rows
# (config/database_roles.py): neither is a superuser, so neither can switch the ledger's triggers off.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE aire_owner LOGIN PASSWORD '${DATABASE_OWNER_PASSWORD:?set DATABASE_OWNER_PASSWORD}';
CREATE ROLE aire_app LOGIN PASSWORD '${DATABASE_APP_PASSWORD:?set DATABASE_APP_PASSWORD}';
CREATE DATABASE aireouverte OWNER aire_owner;
SQL
