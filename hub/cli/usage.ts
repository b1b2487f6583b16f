// The hub CLI's usage text (every group's commands, printed by --help and with usage errors).
import { defaultHubDb } from './args.ts';

export const USAGE = `usage: hub <command> [options]          (every command takes --db FILE|postgres://…)
  serve [--port 8787] [--host 127.0.0.1] [--tls-cert F --tls-key F] [--rate-limit N/min] [--quiet]
        [--updates-dir D] [--max-artifact-mb 1024] [--online-within 600 (s since the last poll)]
        [--events-per-user 20 (live-event streams per user)]
  kb import <bundle.jsonl|dir> [--merge] [--json]     publish a new KB revision (whole KB unless --merge)
  kiosk add <name> [--branch B] [--json]              prints the device token once
  kiosk list [--json] · kiosk revoke <name> · kiosk token <name> (new token, old one stops working)
  kiosk command <name> sync|restart|update-now [--json]   runs on the kiosk after its next poll
  kiosk commands <name> [--limit N] [--json]          the kiosk's commands and their outcomes
  config set <target> <file.json>                     target: kiosk name, branch name, kiosk:N, branch:N, fleet
  config show <target> · config unset <target>
  tickets list [--limit N] [--json] · inbox list <kind> [--limit N] [--json]
  analytics searches [--no-results] [--locale L] [--limit N] [--json]
  demo seed [--json]                                  demo customers (the ID-card simulator's cards) with orders in every state
  user add <name> --role admin|editor|agent|branch-manager [--branch B] --password-stdin [--json]
  user list [--json] · user disable|enable <name> · user reset-password <name> --password-stdin
                                                      console accounts; the password is the first line of stdin
  admin-token                                         sets and prints a new admin API token (deprecated: personal tokens replace it)
  release add <latest-linux.yml> <artifact>… [--channel latest] [--staging N] [--json]
                                                      upload (sha512 checked) and publish a release
  release list [--channel C] [--json]                 releases and what each channel serves
  rollout <channel> [--staging N] [--pause|--resume] [--external-feed URL|--hosted] [--json]
  gc [--older-than-days 30]                           compact the change log (old tombstones → reset)
  openapi                                             print the OpenAPI description
--db defaults to $HUB_DB, else ${defaultHubDb({})}; release artifacts live in --updates-dir,
$HUB_UPDATES_DIR, else updates/ beside an SQLite database (the same folder for serve and release).`;
