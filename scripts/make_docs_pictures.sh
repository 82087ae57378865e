#!/usr/bin/env bash
# Makes every picture in docs/ from the current sources, so the README shows today's page:
#   - diagrams and graphs rendered by tcp-ladder itself (the seed programs over a 25 ms path,
#     tests/captures/delayed/seed_middle.pcap, evenly spaced and in the timing view; the real
#     bulk transfer's time-sequence and RTT graphs; a real TLS 1.3 exchange with its messages);
#   - screenshots of the release page (tests/e2e/docs_pictures.mjs): a bundled sample with a
#     segment explained at 1366×768 and 390×844, the timing view, the lesson, graphs, follow,
#     and two capture points merged (a queue filling between them).
#
#   bash scripts/make_docs_pictures.sh            everything (installs the test tools, builds dist/)
#   bash scripts/make_docs_pictures.sh REGEX      only the screenshots whose names match
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh test
cargo build --quiet --locked --bin tcp-ladder
cli=target/debug/tcp-ladder
if [ -z "${1:-}" ]; then
  seed=tests/captures/delayed/seed_middle.pcap
  "$cli" render "$seed" --stream 0 -o docs/seed-delayed-even.svg
  "$cli" render "$seed" --stream 0 --view timing -o docs/seed-delayed-timing.svg
  bulk=tests/captures/delayed/bulk_middle.pcap
  "$cli" graph "$bulk" --stream 0 --kind tseq --format svg -o docs/bulk-tseq.svg
  "$cli" graph "$bulk" --stream 0 --kind rtt --format svg -o docs/bulk-rtt.svg
  # A real HTTPS exchange (openssl s_server and s_client, TLS 1.3, tests/captures/app/record.sh)
  # as the ladder draws it: the handshake, then the encrypted records, with the application's words.
  "$cli" render tests/captures/app/tls13.pcap --stream 0 -o docs/https-tls13.svg
  # A real loss between two capture points: the relay dropped the burst's last segment.
  "$cli" merge tests/captures/lossy/tail_loss_at_sender.pcap tests/captures/lossy/tail_loss_at_receiver.pcap --svg 0 -o docs/merged-tail-loss.svg
  echo "wrote docs/seed-delayed-even.svg docs/seed-delayed-timing.svg docs/bulk-tseq.svg docs/bulk-rtt.svg docs/https-tls13.svg docs/merged-tail-loss.svg"
fi
trunk build --release
node tests/e2e/docs_pictures.mjs ${1:+"$1"}
