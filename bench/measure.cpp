// bench-measure: runs one command and appends one TSV line with its wall time, CPU time
// (user + system, the command and the children it waited for) and peak RSS.
//
//   bench-measure -o FILE -l LABEL [-i STDIN] [-O STDOUT] [-E STDERR] -- COMMAND ARGS...
//
// The line is: LABEL <tab> wall_s <tab> cpu_s <tab> user_s <tab> sys_s <tab> maxrss_kib <tab> status
// where status is the exit code, or 128+signal. bench-measure exits with the same status.
// fork/exec/wait4: wall from a monotonic clock around the child, CPU and ru_maxrss from wait4.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

namespace {
int usage() {
  std::fprintf(stderr, "usage: bench-measure -o FILE -l LABEL [-i IN] [-O OUT] [-E ERR] -- COMMAND ARGS...\n");
  return 2;
}
bool redirect(const char* path, int fd, int flags) {
  if (path == nullptr) return true;
  int f = ::open(path, flags, 0644);
  if (f < 0 || ::dup2(f, fd) < 0) return false;
  ::close(f);
  return true;
}
double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }
}  // namespace

int main(int argc, char** argv) {
  const char *out = nullptr, *label = nullptr, *in = nullptr, *sout = nullptr, *serr = nullptr;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) return usage();
    if (a == "-o")
      out = argv[++i];
    else if (a == "-l")
      label = argv[++i];
    else if (a == "-i")
      in = argv[++i];
    else if (a == "-O")
      sout = argv[++i];
    else if (a == "-E")
      serr = argv[++i];
    else
      return usage();
  }
  if (out == nullptr || label == nullptr || i >= argc) return usage();

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("bench-measure: fork");
    return 2;
  }
  if (pid == 0) {
    if (!redirect(in, 0, O_RDONLY) || !redirect(sout, 1, O_WRONLY | O_CREAT | O_TRUNC) ||
        !redirect(serr, 2, O_WRONLY | O_CREAT | O_TRUNC)) {
      std::perror("bench-measure: redirect");
      _exit(127);
    }
    ::execvp(argv[i], argv + i);
    std::fprintf(stderr, "bench-measure: %s: %s\n", argv[i], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  while (::wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      std::perror("bench-measure: wait4");
      return 2;
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  const double user = seconds(ru.ru_utime), sys = seconds(ru.ru_stime);
  FILE* f = std::fopen(out, "a");
  if (f == nullptr) {
    std::perror("bench-measure: output file");
    return 2;
  }
  std::fprintf(f, "%s\t%.6f\t%.6f\t%.6f\t%.6f\t%ld\t%d\n", label, wall, user + sys, user, sys, ru.ru_maxrss, code);
  std::fclose(f);
  return code;
}
