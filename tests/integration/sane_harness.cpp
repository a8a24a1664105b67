// hpaio-sane-harness: loads libsane-hpaio.so.1 with dlopen, as SANE's dll does, and drives
// several handles in one process, to check that sessions share no state.
//
//   hpaio-sane-harness LIBRARY interleave|select MODE RESOLUTION DEVICE OUT.pnm [DEVICE OUT.pnm ...]
//     opens every DEVICE, starts a scan on each, then reads them until every page is complete,
//     and writes each page as PNM. Exit 0 when every page has exactly the bytes
//     sane_get_parameters promised.
//     interleave: blocking reads of 4 KiB in turns.
//     select: sane_set_io_mode(non-blocking) and sane_get_select_fd, then poll() on all the
//       descriptors and read whichever is ready; a read must never block.
//   hpaio-sane-harness LIBRARY cancel-from-thread MODE RESOLUTION DEVICE
//     starts a scan and reads; another thread calls sane_cancel after 300 ms while sane_read
//     is blocked. Exit 0 when sane_cancel returned at once and sane_read ended with
//     SANE_STATUS_CANCELLED within a second, and a new scan can start afterwards.
#include <dlfcn.h>
#include <poll.h>
#include <sane/sane.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Api {
  SANE_Status (*init)(SANE_Int*, SANE_Auth_Callback);
  void (*exit)();
  SANE_Status (*open)(SANE_String_Const, SANE_Handle*);
  void (*close)(SANE_Handle);
  const SANE_Option_Descriptor* (*descriptor)(SANE_Handle, SANE_Int);
  SANE_Status (*control)(SANE_Handle, SANE_Int, SANE_Action, void*, SANE_Int*);
  SANE_Status (*parameters)(SANE_Handle, SANE_Parameters*);
  SANE_Status (*start)(SANE_Handle);
  SANE_Status (*read)(SANE_Handle, SANE_Byte*, SANE_Int, SANE_Int*);
  void (*cancel)(SANE_Handle);
  SANE_Status (*set_io_mode)(SANE_Handle, SANE_Bool);
  SANE_Status (*get_select_fd)(SANE_Handle, SANE_Int*);
};

template <typename F>
bool bind(void* lib, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(lib, name));
  if (!f) std::fprintf(stderr, "harness: %s not exported\n", name);
  return f != nullptr;
}

int option_index(const Api& api, SANE_Handle h, const char* name) {
  for (int i = 1;; ++i) {
    const SANE_Option_Descriptor* d = api.descriptor(h, i);
    if (!d) return -1;
    if (d->name && std::strcmp(d->name, name) == 0) return i;
  }
}

struct Scan {
  std::string device;
  std::string out;
  SANE_Handle handle = nullptr;
  SANE_Parameters params{};
  std::vector<SANE_Byte> data;
  bool done = false;

  // One sane_read's outcome: the end of the page, a failure (counted), or data kept.
  void take(SANE_Status st, const SANE_Byte* buf, SANE_Int n, int& failures) {
    if (st == SANE_STATUS_EOF) {
      done = true;
    } else if (st != SANE_STATUS_GOOD) {
      std::fprintf(stderr, "harness: read %s: status %d\n", device.c_str(), st);
      done = true;
      ++failures;
    } else {
      data.insert(data.end(), buf, buf + n);
    }
  }
};

bool load(const char* path, Api& api) {
  void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    std::fprintf(stderr, "harness: %s\n", dlerror());
    return false;
  }
  return bind(lib, "sane_hpaio_init", api.init) && bind(lib, "sane_hpaio_exit", api.exit) &&
         bind(lib, "sane_hpaio_open", api.open) && bind(lib, "sane_hpaio_close", api.close) &&
         bind(lib, "sane_hpaio_get_option_descriptor", api.descriptor) &&
         bind(lib, "sane_hpaio_control_option", api.control) &&
         bind(lib, "sane_hpaio_get_parameters", api.parameters) && bind(lib, "sane_hpaio_start", api.start) &&
         bind(lib, "sane_hpaio_read", api.read) && bind(lib, "sane_hpaio_cancel", api.cancel) &&
         bind(lib, "sane_hpaio_set_io_mode", api.set_io_mode) &&
         bind(lib, "sane_hpaio_get_select_fd", api.get_select_fd);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int cancel_from_thread(char** argv) {
  Api api{};
  if (!load(argv[1], api)) return 2;
  SANE_Int version = 0;
  SANE_Handle h = nullptr;
  if (api.init(&version, nullptr) != SANE_STATUS_GOOD || api.open(argv[5], &h) != SANE_STATUS_GOOD) return 1;
  char mode[32] = {};
  std::strncpy(mode, argv[3], sizeof mode - 1);
  SANE_Word res = std::atoi(argv[4]);
  api.control(h, option_index(api, h, "mode"), SANE_ACTION_SET_VALUE, mode, nullptr);
  api.control(h, option_index(api, h, "resolution"), SANE_ACTION_SET_VALUE, &res, nullptr);
  if (api.start(h) != SANE_STATUS_GOOD) return 1;

  std::atomic<double> cancel_took{-1};
  // Set before sane_cancel is called (a read may end as soon as the cancel is under way).
  std::atomic<bool> cancelled{false};
  std::chrono::steady_clock::time_point cancel_at;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel_at = std::chrono::steady_clock::now();
    cancelled = true;
    api.cancel(h);
    cancel_took = seconds_since(cancel_at);
  });
  SANE_Status st = SANE_STATUS_GOOD;
  long bytes = 0;
  while (st == SANE_STATUS_GOOD) {
    SANE_Byte buf[65536];
    SANE_Int n = 0;
    st = api.read(h, buf, sizeof buf, &n);
    bytes += n;
  }
  double read_ended = cancelled ? seconds_since(cancel_at) : -1;
  canceller.join();
  int failures = 0;
  std::printf("harness: read ended with status %d after %ld bytes, %.3f s after sane_cancel; sane_cancel took %.6f s\n",
              st, bytes, read_ended, cancel_took.load());
  if (st != SANE_STATUS_CANCELLED) ++failures;
  if (cancel_took > 0.05) ++failures;
  if (read_ended < 0 || read_ended > 1.0) ++failures;
  // The handle is usable again: a new scan starts (and is cancelled at once).
  SANE_Status again = api.start(h);
  std::printf("harness: sane_start after the cancel: status %d\n", again);
  if (again != SANE_STATUS_GOOD) ++failures;
  api.cancel(h);
  api.close(h);
  api.exit();
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::strcmp(argv[2], "cancel-from-thread") == 0) return cancel_from_thread(argv);
  bool use_select = argc > 2 && std::strcmp(argv[2], "select") == 0;
  if (argc < 7 || (!use_select && std::strcmp(argv[2], "interleave") != 0) || (argc - 5) % 2 != 0) {
    std::fprintf(stderr, "usage: %s LIBRARY interleave|select MODE RESOLUTION DEVICE OUT.pnm [DEVICE OUT.pnm ...]\n",
                 argv[0]);
    return 2;
  }
  Api api{};
  if (!load(argv[1], api)) return 2;

  SANE_Int version = 0;
  if (api.init(&version, nullptr) != SANE_STATUS_GOOD) return 1;
  std::vector<Scan> scans;
  for (int i = 5; i + 1 < argc; i += 2) {
    Scan s;
    s.device = argv[i];
    s.out = argv[i + 1];
    scans.push_back(std::move(s));
  }

  int failures = 0;
  for (Scan& s : scans) {
    SANE_Status st = api.open(s.device.c_str(), &s.handle);
    if (st != SANE_STATUS_GOOD) {
      std::fprintf(stderr, "harness: open %s: status %d\n", s.device.c_str(), st);
      return 1;
    }
    char mode[32] = {};
    std::strncpy(mode, argv[3], sizeof mode - 1);
    SANE_Word res = std::atoi(argv[4]);
    api.control(s.handle, option_index(api, s.handle, "mode"), SANE_ACTION_SET_VALUE, mode, nullptr);
    api.control(s.handle, option_index(api, s.handle, "resolution"), SANE_ACTION_SET_VALUE, &res, nullptr);
  }
  for (Scan& s : scans) {
    if (api.start(s.handle) != SANE_STATUS_GOOD) {
      std::fprintf(stderr, "harness: start %s failed\n", s.device.c_str());
      return 1;
    }
    api.parameters(s.handle, &s.params);
  }
  if (use_select) {
    for (Scan& s : scans) {
      if (api.set_io_mode(s.handle, SANE_TRUE) != SANE_STATUS_GOOD) {
        std::fprintf(stderr, "harness: set_io_mode %s refused\n", s.device.c_str());
        return 1;
      }
    }
    long empty_reads = 0;
    for (bool any = true; any;) {
      any = false;
      std::vector<pollfd> fds;
      std::vector<Scan*> owners;
      for (Scan& s : scans) {
        if (s.done) continue;
        SANE_Int fd = -1;
        if (api.get_select_fd(s.handle, &fd) != SANE_STATUS_GOOD) {
          std::fprintf(stderr, "harness: get_select_fd %s refused\n", s.device.c_str());
          return 1;
        }
        fds.push_back(pollfd{fd, POLLIN, 0});
        owners.push_back(&s);
      }
      if (fds.empty()) break;
      any = true;
      if (::poll(fds.data(), fds.size(), 30000) <= 0) {
        std::fprintf(stderr, "harness: no descriptor became ready in 30 s\n");
        return 1;
      }
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
        Scan& s = *owners[i];
        SANE_Byte buf[65536];
        SANE_Int n = 0;
        auto t0 = std::chrono::steady_clock::now();
        SANE_Status st = api.read(s.handle, buf, sizeof buf, &n);
        if (std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(500)) {
          std::fprintf(stderr, "harness: a non-blocking read of %s blocked\n", s.device.c_str());
          ++failures;
        }
        if (st == SANE_STATUS_GOOD && n == 0) ++empty_reads;
        s.take(st, buf, n, failures);
      }
    }
    std::printf("harness: select mode, %ld reads returned no data\n", empty_reads);
  }
  // Turns of 4 KiB each, so every session's connection and decoder are live at once.
  bool any = !use_select;
  while (any) {
    any = false;
    for (Scan& s : scans) {
      if (s.done) continue;
      any = true;
      SANE_Byte buf[4096];
      SANE_Int n = 0;
      SANE_Status st = api.read(s.handle, buf, sizeof buf, &n);
      s.take(st, buf, n, failures);
    }
  }
  for (Scan& s : scans) {
    std::size_t expected = static_cast<std::size_t>(s.params.bytes_per_line) * static_cast<std::size_t>(s.params.lines);
    if (s.data.size() != expected) {
      std::fprintf(stderr, "harness: %s: %zu bytes, promised %zu\n", s.device.c_str(), s.data.size(), expected);
      ++failures;
    }
    std::ofstream out(s.out, std::ios::binary);
    bool color = s.params.format == SANE_FRAME_RGB;
    if (s.params.depth == 1) {
      out << "P4\n" << s.params.pixels_per_line << " " << s.params.lines << "\n";
    } else {
      out << (color ? "P6\n" : "P5\n") << s.params.pixels_per_line << " " << s.params.lines << "\n255\n";
    }
    out.write(reinterpret_cast<const char*>(s.data.data()), static_cast<std::streamsize>(s.data.size()));
    api.cancel(s.handle);
    api.close(s.handle);
    std::printf("harness: %s: %dx%d, %zu bytes -> %s\n", s.device.c_str(), s.params.pixels_per_line, s.params.lines,
                s.data.size(), s.out.c_str());
  }
  api.exit();
  return failures == 0 ? 0 : 1;
}
