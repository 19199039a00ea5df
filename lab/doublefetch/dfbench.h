/* dfbench.h: the /dev/dfbench ABI shared by the double-fetch lab's guests. */
#ifndef DFBENCH_H
#define DFBENCH_H
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DFB_SIZE_CHECK 1
#define DFB_COUNT_LEAK 2
#define DFB_DEDUPE_RANGE   3
#define DFB_AUDIT_EXECVE   4
#define DFB_CROS_EC_XCMD   5
#define DFB_MIC_VOP_ADD    6
#define DFB_HANDLE_TO_PATH 7
#define DFB_PERF_ATTR      8
#define DFB_ND_CMD_CALL    9
#define DFB_WIN32K_STRING  10
#define DFB_XEN_BLKIF      11
#define DFB_XENFB_EVENTS   12
#define DFB_MSND_MIDQ      13
#define DFB_FBSD_CMSG32    14

/* DFB_DEDUPE_RANGE (CVE-2016-6516): struct file_dedupe_range + dest_count infos. */
struct dfb_dedupe_info {
    int64_t dest_fd;
    uint64_t dest_offset;
    uint64_t bytes_deduped; /* out */
    int32_t status;         /* out: 0 = FILE_DEDUPE_RANGE_SAME, or -errno */
    uint32_t reserved;      /* must be 0 */
};
struct dfb_dedupe_range {
    uint64_t src_offset;
    uint64_t src_length;
    uint16_t dest_count;
    uint16_t reserved1;     /* must be 0 */
    uint32_t reserved2;     /* must be 0 */
    struct dfb_dedupe_info info[];
};

/* DFB_AUDIT_EXECVE (CVE-2016-6136): logs one execve argument as an audit record " a<N>=..." */
struct dfb_audit_arg {
    uint64_t arg;           /* user char *, 1..64 bytes + NUL */
    uint64_t record;        /* user buffer receiving the record (not NUL-terminated) */
    uint32_t record_size;   /* in: capacity of record; out: length of the record */
    uint32_t arg_num;
};

/* DFB_CROS_EC_XCMD (CVE-2016-6156): struct cros_ec_command. EC commands: 0 = protocol version
 * (answers u32 3), 1 = hello (answers in_data + 0x01020304); others answer result 1. */
#define DFB_EC_MAX_MSG_BYTES 252
struct dfb_cros_ec_command {
    uint32_t version;
    uint32_t command;
    uint32_t outsize;
    uint32_t insize;
    uint32_t result;        /* out */
    uint8_t data[];
};

/* DFB_MIC_VOP_ADD (CVE-2016-5728): struct mic_device_desc, then num_vq mic_vqconfig, then
 * 2*feature_len feature bytes, then config_len config bytes (at most 256 bytes in all). */
struct dfb_mic_device_desc {
    int8_t type;            /* must be > 0 */
    uint8_t num_vq;         /* at most 4 */
    uint8_t feature_len;
    uint8_t config_len;
    uint8_t status;
    uint8_t pad[3];
};
struct dfb_mic_vqconfig {
    uint64_t address;       /* out: ring address assigned by the host */
    uint64_t used_address;
    uint16_t num;           /* ring entries: a power of two, 1..128 */
    uint16_t pad[3];
};

/* DFB_HANDLE_TO_PATH (CVE-2015-1420): struct file_handle, decoded as FILEID_INO32_GEN(_PARENT). */
struct dfb_file_handle {
    uint32_t handle_bytes;  /* 1..128 */
    int32_t handle_type;    /* 1 = FILEID_INO32_GEN, 2 = FILEID_INO32_GEN_PARENT */
    uint8_t f_handle[];
};
struct dfb_open_by_handle {
    uint64_t handle;        /* user struct dfb_file_handle * */
    uint32_t ino, gen, parent_ino, parent_gen; /* out */
};

/* DFB_PERF_ATTR (perf_copy_attr, Deadline): struct perf_event_attr, 112 bytes (VER5). */
#define DFB_PERF_ATTR_SIZE_VER0 64
struct dfb_perf_event_attr {
    uint32_t type;          /* < 6 */
    uint32_t size;          /* 0 (= VER0), or 64..4096; bytes past 112 must be 0 */
    uint64_t config;
    uint64_t sample_period;
    uint64_t sample_type;
    uint64_t read_format;
    uint64_t flags;
    uint32_t wakeup_events;
    uint32_t bp_type;
    uint64_t bp_addr;       /* end of VER0 (64 bytes) */
    uint64_t bp_len;
    uint64_t branch_sample_type;
    uint64_t sample_regs_user;
    uint32_t sample_stack_user;
    int32_t clockid;
    uint64_t sample_regs_intr;
    uint32_t aux_watermark;
    uint16_t sample_max_stack;
    uint16_t reserved_2;    /* must be 0 */
};

/* DFB_ND_CMD_CALL (nvdimm ND_CMD_CALL, Deadline): struct nd_cmd_pkg, then nd_size_in input bytes
 * and nd_size_out output bytes. Functions: 0 = query (out u32 0xf), 1 = health (out u64),
 * 2 = echo (out = in), 3 = sum (out u32 sum of the input bytes). */
struct dfb_nd_cmd_pkg {
    uint64_t nd_family;     /* must be 0 */
    uint64_t nd_command;    /* 0..3 */
    uint32_t nd_size_in;    /* at most 256 */
    uint32_t nd_size_out;   /* at most 256 */
    uint32_t nd_reserved2[9]; /* must be 0 */
    uint32_t nd_fw_size;    /* out: bytes the firmware produced */
    uint8_t nd_payload[];
};

/* DFB_WIN32K_STRING (Bochspwn, MS13-016/036 class): a captured UNICODE_STRING; the kernel returns
 * the x65599 hash of its code units in hash. */
struct dfb_unicode_string {
    uint16_t length;        /* bytes, even, <= maximum_length, <= 512 */
    uint16_t maximum_length;
    uint32_t hash;          /* out (padding in Windows' layout) */
    uint64_t buffer;        /* user uint16_t *, 2-byte aligned */
};

/* DFB_XEN_BLKIF (XSA-155 / CVE-2015-8550, QEMU blkif_get_x86_*_req): a 4-slot shared ring. */
#define DFB_BLKIF_MAX_SEGMENTS 11
struct dfb_blkif_segment {
    uint32_t gref;
    uint8_t first_sect, last_sect; /* first <= last <= 7 */
    uint16_t pad;
};
struct dfb_blkif_request {
    uint8_t operation;      /* 0 = read, 1 = write */
    uint8_t nr_segments;    /* 1..11 */
    uint16_t handle;
    uint32_t pad;
    uint64_t id;
    uint64_t sector_number;
    struct dfb_blkif_segment seg[DFB_BLKIF_MAX_SEGMENTS];
};
struct dfb_blkif_response {
    uint64_t id;
    uint8_t operation;
    uint8_t pad;
    int16_t status;         /* 0 = BLKIF_RSP_OKAY, -1 = BLKIF_RSP_ERROR */
};
union dfb_blkif_slot {
    struct dfb_blkif_request req;
    struct dfb_blkif_response rsp;
};
struct dfb_blkif_sring {
    uint32_t req_prod;      /* requests in ring[0..req_prod), at most 4 */
    uint32_t req_event;
    uint32_t rsp_prod;      /* out */
    uint32_t rsp_event;
    union dfb_blkif_slot ring[4];
};

/* DFB_XENFB_EVENTS (XSA-155, QEMU xenfb_handle_events): the xenfb out-event ring. */
#define DFB_XENFB_TYPE_UPDATE 2
#define DFB_XENFB_TYPE_RESIZE 3
union dfb_xenfb_out_event {
    uint8_t type;
    struct { uint8_t type; uint8_t pad[3]; int32_t x, y, width, height; } update;
    struct { uint8_t type; uint8_t pad[3]; int32_t width, height, stride, depth, offset; } resize;
    uint8_t raw[40];
};
struct dfb_xenfb_page {
    uint32_t out_cons;      /* in/out */
    uint32_t out_prod;      /* out_prod - out_cons <= 8 */
    uint32_t width, height; /* in/out: the framebuffer configuration */
    uint32_t updated_pixels; /* out: area of the update events, clipped to the framebuffer */
    uint32_t pad;
    union dfb_xenfb_out_event out[8];
};

/* DFB_MSND_MIDQ (CVE-2017-9985, snd_msndmidi_input_read): the card's MIDI input queue. The JQS
 * registers and the 64-word data window are card memory the device (here: the caller) controls. */
struct dfb_msnd_queue {
    uint16_t wStart;
    uint16_t wSize;         /* last valid index, < 64 */
    uint16_t wHead;         /* <= wSize; advanced by the driver */
    uint16_t wTail;         /* <= wSize */
    uint32_t received;      /* out */
    uint32_t pad;
    uint8_t midi[64];       /* out: the low byte of each word read */
    uint16_t data[64];      /* the queue's data window */
};

/* DFB_FBSD_CMSG32 (CVE-2020-7460, FreeBSD freebsd32_copyin_control): converts 32-bit control
 * messages (cmsghdr 12 bytes, 4-byte alignment) to the 64-bit layout (16-byte header, 8-byte
 * alignment) and copies the converted mbuf contents to out. */
struct dfb_cmsghdr32 {
    uint32_t cmsg_len;
    int32_t cmsg_level;
    int32_t cmsg_type;
};
struct dfb_cmsg32_req {
    uint64_t control;       /* user 32-bit control messages */
    uint32_t controllen;    /* 12..2048 */
    uint32_t m_len;         /* out: length of the 64-bit control data */
    uint64_t out;           /* user buffer receiving the 64-bit control data */
    uint32_t out_size;      /* capacity of out */
    uint32_t pad;
};


static inline int dfb_open(void) {
    int fd = open("/dev/dfbench", O_RDWR);
    if (fd < 0) { perror("open /dev/dfbench (run this under bulwark)"); exit(2); }
    return fd;
}
#endif
