// Parse time of the installed models.dat (HPLIP re-reads it on every lookup; we parse it once), as
// the backend loads it (Keys::scanning). Prints one line: "models.dat parse: median X ms, min Y ms
// over N runs, first F ms (sections S, B bytes)"; the first load of a process (the backend's only
// one) pays for fresh heap pages, the later ones reuse them.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "models/model_database.hpp"
#include "models/models_location.hpp"

int main(int argc, char** argv) {
  using namespace hpaio::models;
  std::filesystem::path path = argc > 1 ? std::filesystem::path(argv[1]) : locate_models_dat();
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 21;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "bench-models-parse: cannot read " << path << "\n";
    return 2;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();

  std::vector<double> ms;
  double first = 0;
  std::size_t sections = 0;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    // Read + parse, as the backend does on first use.
    ModelDatabase db = ModelDatabase::load(path, Keys::scanning);
    auto stop = std::chrono::steady_clock::now();
    sections = db.sections().size();
    ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    if (i == 0) first = ms.back();
  }
  std::sort(ms.begin(), ms.end());
  std::cout << "models.dat parse: median " << ms[ms.size() / 2] << " ms, min " << ms.front() << " ms over " << runs
            << " runs, first " << first << " ms (sections " << sections << ", " << text.size() << " bytes)\n";
  return 0;
}
