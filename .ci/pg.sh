#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `source .ci/pg.sh` starts one on a free
# port, exports TEST_POSTGRES_URL and stops and deletes it when the shell exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/sciezka-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres "$pg_dir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
# For the fault tests: restarts the cluster as a crash would (immediate stop).
cat >"$pg_dir/restart.sh" <<EOF_RESTART
#!/usr/bin/env bash
${as_pg[*]} "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -m immediate \\
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" restart >/dev/null
EOF_RESTART
chmod +x "$pg_dir/restart.sh"
export TEST_PG_RESTART="$pg_dir/restart.sh"
stop_pg() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
echo "PostgreSQL $(basename "$(dirname "$pg_bin")") running on port $pg_port"
