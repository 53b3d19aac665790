/*
 * Housekeeping any hypervisor thread does when it has a moment (idle loop,
 * timer ticks of running vCPUs, H_CEDE waits): console input, flushing
 * partition output.  At most one thread does it at a time.
 */
#ifndef HV_SERVICE_H
#define HV_SERVICE_H

/** Do pending housekeeping unless another thread is doing it. */
void service_poll(void);

#endif /* HV_SERVICE_H */
