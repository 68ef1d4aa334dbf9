#!/bin/sh
# The suite on Debian's 5.10 kernel with the features of 3.10/4.14 masked
# (TCPRST_MASK=legacy): kprobe_events only, no error_log, fetch features by
# trial, no $comm, no x types, no instance options (frame-pointer walk).
exec "$(dirname "$0")/vm/run.sh" --mask legacy 5.10
