#!/bin/sh
# Makes practice-agent/src/test/resources/dumps/clinical.dump with the real PostgreSQL 15 (for FolderFingerprintsDumpTest)
set -e
B=/usr/lib/postgresql/15/bin
D=$(mktemp -d /tmp/readback-pg.XXXX)
chown postgres "$D"
su postgres -s /bin/sh -c "$B/initdb -D $D/data -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null"
su postgres -s /bin/sh -c "$B/pg_ctl -D $D/data -o '-p 54329 -k $D -c listen_addresses=' -l $D/log -w start >/dev/null"
P="$B/psql -h $D -p 54329 -U postgres -q"
$P -c "create database clinical"
$P -d clinical -c "create table patients (id serial primary key, name text not null, born date, notes text)"
$P -d clinical -c "insert into patients (name, born, notes) select 'patient ' || g, date '1950-01-01' + g % 4000, md5(g::text) || md5((g*7)::text) from generate_series(1, 4000) g"
$P -d clinical -c "create table appointments (id serial primary key, patient int references patients, at timestamptz)"
$P -d clinical -c "insert into appointments (patient, at) select 1 + g % 4000, timestamptz '2026-01-01' + g * interval '1 hour' from generate_series(1, 4000) g"
mkdir -p "$1"
$B/pg_dump -h $D -p 54329 -U postgres -Fc -f "$1/clinical.dump" clinical
su postgres -s /bin/sh -c "$B/pg_ctl -D $D/data -m fast -w stop >/dev/null"
rm -rf "$D"
ls -l "$1"
