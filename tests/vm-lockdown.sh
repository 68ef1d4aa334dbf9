#!/bin/sh
# tcprst on Debian's 6.1 kernel booted with lockdown=confidentiality: a
# clear refusal naming lockdown, exit 1, mounts left as found.
exec "$(dirname "$0")/vm/run.sh" --mode lockdown 6.1
