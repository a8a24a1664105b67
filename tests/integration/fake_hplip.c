/* A stand-in for HPLIP's libsane-hpaio.so.1 in backend_hplip.sh: lists one USB device and scans
 * a 16x8 gray page whose bytes count up, so a test can tell that a name and its pages went through
 * HPLIP's backend when no USB device exists. Every entry point it is called through is counted on
 * stderr ("fake-hplip: open ..."). */
#include <sane/sane.h>
#include <sane/saneopts.h>
#include <stdio.h>
#include <string.h>

static const SANE_Device device = {"/usb/Fake_HPLIP_Model?serial=FAKE0001", "HP", "Fake HPLIP Model", "all-in-one"};
static const SANE_Device* list[] = {&device, NULL};
static int handle_token;
static int row;
static SANE_Option_Descriptor count = {.name = SANE_NAME_NUM_OPTIONS,
                                       .title = "",
                                       .desc = "",
                                       .type = SANE_TYPE_INT,
                                       .unit = SANE_UNIT_NONE,
                                       .size = sizeof(SANE_Word),
                                       .cap = SANE_CAP_SOFT_DETECT,
                                       .constraint_type = SANE_CONSTRAINT_NONE,
                                       .constraint = {.string_list = NULL}};

SANE_Status sane_hpaio_init(SANE_Int* v, SANE_Auth_Callback cb) {
  (void)cb;
  if (v) *v = SANE_VERSION_CODE(1, 0, 0);
  fprintf(stderr, "fake-hplip: init\n");
  return SANE_STATUS_GOOD;
}
void sane_hpaio_exit(void) { fprintf(stderr, "fake-hplip: exit\n"); }
SANE_Status sane_hpaio_get_devices(const SANE_Device*** l, SANE_Bool local_only) {
  fprintf(stderr, "fake-hplip: get_devices local_only=%d\n", local_only);
  *l = list;
  return SANE_STATUS_GOOD;
}
SANE_Status sane_hpaio_open(SANE_String_Const name, SANE_Handle* h) {
  fprintf(stderr, "fake-hplip: open %s\n", name);
  if (strncmp(name, "/usb/Fake_HPLIP_Model", 21) != 0) return SANE_STATUS_INVAL;
  *h = &handle_token;
  return SANE_STATUS_GOOD;
}
void sane_hpaio_close(SANE_Handle h) { (void)h; fprintf(stderr, "fake-hplip: close\n"); }
const SANE_Option_Descriptor* sane_hpaio_get_option_descriptor(SANE_Handle h, SANE_Int n) {
  (void)h;
  return n == 0 ? &count : NULL;
}
SANE_Status sane_hpaio_control_option(SANE_Handle h, SANE_Int n, SANE_Action a, void* v, SANE_Int* i) {
  (void)h;
  (void)i;
  if (n != 0 || a != SANE_ACTION_GET_VALUE) return SANE_STATUS_INVAL;
  *(SANE_Word*)v = 1;
  return SANE_STATUS_GOOD;
}
SANE_Status sane_hpaio_get_parameters(SANE_Handle h, SANE_Parameters* p) {
  (void)h;
  p->format = SANE_FRAME_GRAY;
  p->last_frame = SANE_TRUE;
  p->bytes_per_line = 16;
  p->pixels_per_line = 16;
  p->lines = 8;
  p->depth = 8;
  return SANE_STATUS_GOOD;
}
SANE_Status sane_hpaio_start(SANE_Handle h) {
  (void)h;
  fprintf(stderr, "fake-hplip: start\n");
  row = 0;
  return SANE_STATUS_GOOD;
}
SANE_Status sane_hpaio_read(SANE_Handle h, SANE_Byte* d, SANE_Int max, SANE_Int* len) {
  (void)h;
  *len = 0;
  if (row >= 8) return SANE_STATUS_EOF;
  if (max < 16) return SANE_STATUS_INVAL;
  for (int x = 0; x < 16; ++x) d[x] = (SANE_Byte)(row * 16 + x);
  ++row;
  *len = 16;
  return SANE_STATUS_GOOD;
}
void sane_hpaio_cancel(SANE_Handle h) { (void)h; fprintf(stderr, "fake-hplip: cancel\n"); }
SANE_Status sane_hpaio_set_io_mode(SANE_Handle h, SANE_Bool m) {
  (void)h;
  return m ? SANE_STATUS_UNSUPPORTED : SANE_STATUS_GOOD;
}
SANE_Status sane_hpaio_get_select_fd(SANE_Handle h, SANE_Int* fd) {
  (void)h;
  (void)fd;
  return SANE_STATUS_UNSUPPORTED;
}
