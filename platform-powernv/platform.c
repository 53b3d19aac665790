/*
 * The PowerNV platform: lparvisor as skiboot's payload.  Console, thread
 * start-up and power control all go through OPAL (skiboot
 * doc/opal-api/); nothing here touches the hardware directly.
 */
#include "hv/cpu.h"
#include "hv/platform.h"
#include "platform-powernv/conwrite.h"
#include "platform-powernv/opal.h"
#include "platform-powernv/pci_host.h"
#include "platform-powernv/pnv.h"

uint64_t opal_base_addr;
uint64_t opal_entry_addr;
static uint32_t console_term;

void pnv_set_opal(uint64_t base, uint64_t entry)
{
	opal_base_addr = base;
	opal_entry_addr = entry;
}

void pnv_set_console(uint32_t term)
{
	console_term = term;
}

static int64_t call0(uint64_t token)
{
	return opal_call(token, 0, 0, 0, 0, 0, 0, 0);
}

void opal_poll_events(void)
{
	call0(OPAL_POLL_EVENTS);
}

const char *opal_strerror(int64_t rc)
{
	switch (rc) {
	case OPAL_SUCCESS:
		return "success";
	case OPAL_PARAMETER:
		return "OPAL_PARAMETER";
	case OPAL_BUSY:
		return "OPAL_BUSY";
	case OPAL_PARTIAL:
		return "OPAL_PARTIAL";
	case OPAL_UNSUPPORTED:
		return "OPAL_UNSUPPORTED";
	case OPAL_INTERNAL_ERROR:
		return "OPAL_INTERNAL_ERROR";
	case OPAL_BUSY_EVENT:
		return "OPAL_BUSY_EVENT";
	case OPAL_WRONG_STATE:
		return "OPAL_WRONG_STATE";
	default:
		return "OPAL error";
	}
}

/*
 * OPAL may take fewer bytes than offered (its buffer holds 4 KiB); poll
 * so it drains, and try again.  A console that makes no progress for a
 * long time is given up on rather than hang the hypervisor; what was
 * dropped is reported once it drains (conwrite.c).
 */
static size_t opal_console_try(void *ctx, const char *buf, size_t len)
{
	be64 n = cpu_to_be64(len);
	int64_t rc;
	uint64_t done;

	(void)ctx;
	rc = opal_call(OPAL_CONSOLE_WRITE, console_term, (uintptr_t)&n,
		       (uintptr_t)buf, 0, 0, 0, 0);
	done = be64_to_cpu(n);
	if (rc != OPAL_BUSY && rc != OPAL_BUSY_EVENT && rc != OPAL_SUCCESS &&
	    rc != OPAL_PARTIAL) {
		return CONWRITE_GONE; /* nothing more we can do */
	}
	return done <= len ? (size_t)done : 0;
}

static void opal_console_poll(void *ctx)
{
	(void)ctx;
	opal_poll_events();
}

static struct conwrite opal_console = {
	.try_write = opal_console_try,
	.poll = opal_console_poll,
	.stall_limit = 100000,
};

void platform_console_write(const char *buf, size_t len)
{
	if (!opal_entry_addr) {
		return;
	}
	conwrite(&opal_console, buf, len);
}

size_t platform_console_read(char *buf, size_t len)
{
	be64 n = cpu_to_be64(len);
	int64_t rc;

	if (!opal_entry_addr || len == 0) {
		return 0;
	}
	rc = opal_call(OPAL_CONSOLE_READ, console_term, (uintptr_t)&n,
		       (uintptr_t)buf, 0, 0, 0, 0);
	if (rc != OPAL_SUCCESS || be64_to_cpu(n) > len) {
		return 0;
	}
	return (size_t)be64_to_cpu(n);
}

int64_t platform_reinit_cpus(const struct machine *m)
{
	uint64_t flags = OPAL_REINIT_CPUS_HILE_LE;

	/*
	 * ISA 3.0 cores also take the MMU mode; Linux passes HASH|RADIX and
	 * radix wins.  POWER8 answers OPAL_UNSUPPORTED to the MMU flags.
	 */
	if (cpu_family_has_radix(m->family)) {
		flags |= OPAL_REINIT_CPUS_MMU_HASH | OPAL_REINIT_CPUS_MMU_RADIX;
	}
	return opal_call(OPAL_REINIT_CPUS, flags, 0, 0, 0, 0, 0, 0);
}

int64_t platform_start_cpu(uint32_t pir, uint64_t entry, int *state_out)
{
	uint8_t status = 0xff;
	int64_t rc;

	rc = opal_call(OPAL_QUERY_CPU_STATUS, pir, (uintptr_t)&status, 0, 0, 0,
		       0, 0);
	*state_out = rc == OPAL_SUCCESS ? status : -1;
	if (rc != OPAL_SUCCESS) {
		return rc;
	}
	if (status != OPAL_THREAD_INACTIVE) {
		return OPAL_WRONG_STATE;
	}
	return opal_call(OPAL_START_CPU, pir, entry, 0, 0, 0, 0, 0);
}

bool platform_read_rtc(uint32_t *ymd, uint64_t *hms)
{
	be32 y;
	be64 h;
	int64_t rc;

	if (opal_call(OPAL_CHECK_TOKEN, OPAL_RTC_READ, 0, 0, 0, 0, 0, 0) != 1) {
		return false;
	}
	for (int tries = 0; tries < 1000; tries++) {
		rc = opal_call(OPAL_RTC_READ, (uintptr_t)&y, (uintptr_t)&h, 0, 0,
			       0, 0, 0);
		if (rc == OPAL_SUCCESS) {
			*ymd = be32_to_cpu(y);
			*hms = be64_to_cpu(h);
			return true;
		}
		if (rc != OPAL_BUSY && rc != OPAL_BUSY_EVENT) {
			return false;
		}
		opal_poll_events();
	}
	return false;
}

static uint64_t last_poll_tb;
/* OPAL's pending events as the last heartbeat saw them. */
static volatile uint64_t opal_events;

static void heartbeat_events(void)
{
	be64 ev = 0;

	opal_call(OPAL_POLL_EVENTS, (uintptr_t)&ev, 0, 0, 0, 0, 0, 0);
	opal_events = be64_to_cpu(ev);
}

bool pnv_pci_error_pending(void)
{
	return (opal_events & OPAL_EVENT_PCI_ERROR) != 0;
}

static uint64_t poll_interval_tb;

void pnv_set_heartbeat(uint64_t tb_ticks)
{
	poll_interval_tb = tb_ticks;
}

void platform_heartbeat(void)
{
	uint64_t now = mftb();

	if (!opal_entry_addr || now - last_poll_tb < poll_interval_tb) {
		return;
	}
	last_poll_tb = now;
	heartbeat_events();
}

void platform_handle_hmi(void)
{
	be64 flags;

	opal_call(OPAL_HANDLE_HMI2, (uintptr_t)&flags, 0, 0, 0, 0, 0, 0);
}

static __noreturn void spin_polling(void)
{
	for (;;) {
		opal_poll_events();
	}
}

void platform_power_off(void)
{
	int64_t rc;

	do {
		rc = opal_call(OPAL_CEC_POWER_DOWN, 0, 0, 0, 0, 0, 0, 0);
		if (rc == OPAL_BUSY || rc == OPAL_BUSY_EVENT) {
			opal_poll_events();
		}
	} while (rc == OPAL_BUSY || rc == OPAL_BUSY_EVENT);
	if (rc != OPAL_SUCCESS) {
		/* No way to power off (QEMU without a BMC): halt here. */
		const char msg[] = "lparvisor: power-off refused by OPAL; halted\r\n";

		platform_console_write(msg, sizeof(msg) - 1);
		for (;;) {
			smt_low();
		}
	}
	spin_polling();
}

void platform_reboot(void)
{
	int64_t rc;

	do {
		rc = opal_call(OPAL_CEC_REBOOT, 0, 0, 0, 0, 0, 0, 0);
		if (rc == OPAL_BUSY || rc == OPAL_BUSY_EVENT) {
			opal_poll_events();
		}
	} while (rc == OPAL_BUSY || rc == OPAL_BUSY_EVENT);
	spin_polling();
}
