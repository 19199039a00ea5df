// The s3k configuration of Bulwark's own s3k test programs (tests/s3k-programs): the real kernel is
// built with it, and `bulwark s3k` runs them with the same counts (--procs 4 --caps 16 --channels 4).
#pragma once

#define PLATFORM_VIRT
#include "plat/config.h"

// Number of user processes
#define S3K_PROC_CNT 4

// Number of capabilities per process.
#define S3K_CAP_CNT 16

// Number of IPC channels.
#define S3K_CHAN_CNT 4

// Number of slots per period
#define S3K_SLOT_CNT 32ull

// Length of slots in ticks.
#define S3K_SLOT_LEN (S3K_RTC_HZ / S3K_SLOT_CNT)

// Scheduler time
#define S3K_SCHED_TIME (S3K_SLOT_LEN / 10)

// Kernel assertions print a line (NDEBUG is not defined).
#define VERBOSITY 0
