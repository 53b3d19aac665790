/*
 * Restart probe: announces itself, then leaves the way bootargs say:
 * action=reboot (RTAS system-reboot) or action=crash (a load past the end
 * of its memory).  With the partition's restart policy it comes back,
 * from pristine images, and does it again.  lparvisor only.
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"

const char test_name[] = "restart";

/*
 * A word well above the image and its stacks: lparvisor clears all of a
 * partition's memory before every boot, so it must read 0 each time.
 */
#define SCRIBBLE_ADDR 0x800000ul

static bool contains(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; s && *s; s++) {
		if (strncmp(s, w, n) == 0) {
			return true;
		}
	}
	return false;
}

void test_main(void)
{
	const char *args = dt_prop_str(dt_path("/chosen"), "bootargs");
	volatile uint64_t *scribble = (volatile uint64_t *)SCRIBBLE_ADDR;
	bool crash = contains(args, "action=crash");
	int token = rtas_token("system-reboot");

	/* Memory must come back zeroed and the image pristine. */
	report(*scribble == 0, "restart: memory was cleared before this boot");
	*scribble = 0xdeadbeef;
	printf("restart: up, leaving by %s\n", crash ? "crash" : "reboot");
	if (crash) {
		volatile uint64_t *past = (volatile uint64_t *)(uintptr_t)
			dt_ram_size();

		*scribble = *past;
	} else if (token >= 0) {
		rtas_call(token, 0, 1, NULL);
	}
	report(false, "restart: still running after leaving by %s",
	       crash ? "crash" : "reboot");
}
