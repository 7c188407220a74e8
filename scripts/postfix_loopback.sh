#!/usr/bin/env bash
# A throwaway Postfix on loopback, for the tests and the benchmark: a real relay beside aiosmtpd.
#
# Usage: scripts/postfix_loopback.sh start DIR [PORT]   prints the port it listens on (a free one
#                                                       when PORT is not given)
#        scripts/postfix_loopback.sh stop DIR           stops it; nothing of it is left running
#
# Needs root (Postfix's master runs as root and drops to the `postfix` user) and Debian's
# `postfix` package (scripts/test.sh installs it). The package's own instance (/etc/postfix) is
# neither used nor needed: this one is started with `postfix -c DIR/conf`, and everything it owns
# is under DIR, so several can run at once, each with its own DIR and port:
#   DIR/conf   main.cf and master.cf, written here on every start
#   DIR/queue  the queue (and the pid file); DIR/data: Postfix's own state
#   DIR/log    postfix.log (Postfix's log, written by its postlogd: containers have no syslog)
#   DIR/mail   catch-all/new/ — every message accepted, one Maildir file per message, whatever
#              its recipient, once the queue manager has delivered it (asynchronously: poll)
# It listens on 127.0.0.1:PORT only, accepts every recipient domain (a `static:` catch-all of
# the virtual delivery agent), and relays nowhere: no DNS, no local delivery, and any other
# transport is `error:`. Everything that slows a test relay down is off: connection, rate and
# error-sleep limits, in-flow delay, queue-run and backoff delays. PIPELINING is on (Postfix's
# default). Mail for undeliverable messages (bounces) would land in the same Maildir: a test that
# finds a message it did not send sees that something failed.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
}
[ $# -ge 2 ] || usage
cmd=$1
dir=$(realpath -m "$2")
port=${3:-}
conf=$dir/conf

# stop DIR: an orderly `postfix stop`, then make sure no process of the instance is left.
stop() {
  [ -f "$conf/main.cf" ] || return 0
  local pid=""
  [ -f "$dir/queue/pid/master.pid" ] && pid=$(tr -d ' \n' < "$dir/queue/pid/master.pid")
  postfix -c "$conf" stop >/dev/null 2>&1 || true
  # The master leads its own process group and its children are in it; they exit on the
  # master's SIGTERM, but not always before `postfix stop` returns.
  if [ -n "$pid" ]; then
    for _ in $(seq 50); do
      pgrep -g "$pid" >/dev/null || return 0
      sleep 0.1
    done
    kill -9 -- "-$pid" 2>/dev/null || true
  fi
}

# configure: a fresh main.cf and master.cf for an instance on 127.0.0.1:$port.
configure() {
  mkdir -p "$conf" "$dir/queue" "$dir/data" "$dir/log" "$dir/mail"
  # Postfix's daemons (user postfix) and the virtual delivery agent (user nobody) reach the
  # queue and the Maildir through DIR, which may be a 0700 temporary folder.
  chmod 755 "$dir"
  rm -f "$dir/log/start.txt"
  chown postfix "$dir/data"
  chown nobody:nogroup "$dir/mail"
  local nobody_uid nobody_gid
  nobody_uid=$(id -u nobody)
  nobody_gid=$(getent group nogroup | cut -d: -f3)
  cat > "$conf/main.cf" <<EOF
# Written by scripts/postfix_loopback.sh: a throwaway test relay; edits are lost on restart.
compatibility_level = 3.6
config_directory = $conf
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file = $dir/log/postfix.log
maillog_file_prefixes = $dir/log
syslog_name = postfix-loopback
myhostname = relay.loopback.test
mydomain = loopback.test
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8

# Nowhere to go but the Maildir: no DNS, no local users, no relaying.
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
mydestination =
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:5.1.1 local delivery is disabled in this test relay
relay_transport = error:5.7.1 this test relay relays nowhere
default_transport = error:5.7.1 this test relay relays nowhere
# Every domain is a virtual mailbox domain and every address the same Maildir (trailing /).
virtual_mailbox_domains = static:all
virtual_mailbox_maps = static:catch-all/
virtual_mailbox_base = $dir/mail
virtual_uid_maps = static:$nobody_uid
virtual_gid_maps = static:$nobody_gid
virtual_minimum_uid = 100
virtual_destination_concurrency_limit = 20
virtual_destination_recipient_limit = 1

# As fast as the machine allows: no throttling of the one client, no waiting in the queue.
default_process_limit = 100
in_flow_delay = 0
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
smtpd_client_recipient_rate_limit = 0
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 1000
smtpd_junk_command_limit = 1000
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
maximal_queue_lifetime = 1h
bounce_queue_lifetime = 1h
smtpd_tls_security_level = none
smtp_tls_security_level = none
biff = no
EOF
  # Only the services this instance uses, none chrooted (Debian's own master.cf chroots smtpd,
  # which would need copies of /etc files inside the queue).
  cat > "$conf/master.cf" <<EOF
# Written by scripts/postfix_loopback.sh.
# service            type  private unpriv chroot wakeup maxproc command
127.0.0.1:$port      inet  n       -      n      -      -       smtpd
pickup               unix  n       -      n      60     1       pickup
cleanup              unix  n       -      n      -      0       cleanup
qmgr                 unix  n       -      n      300    1       qmgr
rewrite              unix  -       -      n      -      -       trivial-rewrite
bounce               unix  -       -      n      -      0       bounce
defer                unix  -       -      n      -      0       bounce
trace                unix  -       -      n      -      0       bounce
verify               unix  -       -      n      -      1       verify
flush                unix  n       -      n      1000?  0       flush
proxymap             unix  -       -      n      -      -       proxymap
showq                unix  n       -      n      -      -       showq
error                unix  -       -      n      -      -       error
retry                unix  -       -      n      -      -       error
discard              unix  -       -      n      -      -       discard
virtual              unix  -       n      n      -      -       virtual
anvil                unix  -       -      n      -      1       anvil
scache               unix  -       -      n      -      1       scache
postlog              unix-dgram n  -      n      -      1       postlogd
EOF
}

# listeners PORT: how many sockets listen on PORT. Postfix's master binds with SO_REUSEPORT, so a
# second instance on a taken port starts without error and the kernel shares the connections
# between the two: a test would see half its mail. Counted after the start, to retry instead.
listeners() {
  awk -v port="$(printf '%04X' "$1")" '$4 == "0A" && $2 ~ (":" port "$") { n++ } END { print n + 0 }' /proc/net/tcp
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case $cmd in
  start)
    command -v postfix >/dev/null || { echo "$0: postfix is not installed (scripts/test.sh installs it)" >&2; exit 2; }
    [ "$(id -u)" = 0 ] || { echo "$0: Postfix's master must run as root" >&2; exit 2; }
    # Postfix's daemons (user postfix) and its delivery agent (user nobody) open paths under DIR,
    # so every folder above it must let others through (not so in a 0700 temporary folder).
    up=$dir
    while [ "$up" != / ]; do
      up=$(dirname "$up")
      if [ -d "$up" ] && ! stat -c %A "$up" | grep -q '[xt]$'; then
        echo "$0: $up is not searchable by other users; Postfix could not reach $dir" >&2
        exit 2
      fi
    done
    stop # a leftover instance in DIR
    # A port found free may be taken by another test before Postfix binds it: try another.
    given=$port
    for attempt in 1 2 3 4 5; do
      port=${given:-$(free_port)}
      configure
      if postfix -c "$conf" start >"$dir/log/start.txt" 2>&1; then
        if [ "$(listeners "$port")" = 1 ]; then
          echo "$port"
          exit 0
        fi
        echo "port $port is shared with another listener" >> "$dir/log/start.txt"
      fi
      stop
      taken=$(grep -l -e 'shared with another listener' -e 'Address already in use' "$dir/log/start.txt" "$dir/log/postfix.log" 2>/dev/null || true)
      if [ -n "$given" ] || [ -z "$taken" ] || [ "$attempt" = 5 ]; then
        # Postfix reports fatal errors before its log is open only to syslog (or a terminal).
        echo "$0: postfix did not start; its log: $dir/log/postfix.log" >&2
        cat "$dir/log/start.txt" "$dir/log/postfix.log" >&2 2>/dev/null || true
        exit 1
      fi
    done
    ;;
  stop)
    stop
    ;;
  *)
    usage
    ;;
esac
