// hpaio-pagecheck: checks a scanned image against hpaio-sim's page pattern.
#include <boost/program_options.hpp>
#include <iostream>

#include "tests/sim/image/image_io.hpp"
#include "tests/sim/image/page_check.hpp"

namespace po = boost::program_options;
using namespace hpsim;

int main(int argc, char** argv) {
  std::string file, mode = "color", side = "front";
  CheckSpec spec;
  po::options_description desc("Options");
  desc.add_options()("help,h", "show this help")("file", po::value(&file), "image to check (PNM P4/P5/P6 or PNG)")(
      "resolution", po::value(&spec.resolution)->required(), "scan resolution in dpi")(
      "mode", po::value(&mode)->default_value("color"), "color | gray | lineart")(
      "page", po::value(&spec.page)->default_value(1), "sheet number within the job (1-based)")(
      "side", po::value(&side)->default_value("front"), "front | back")(
      "tl-x", po::value(&spec.tl_x_mm)->default_value(0), "scan window left edge on the sheet, mm")(
      "tl-y", po::value(&spec.tl_y_mm)->default_value(0), "scan window top edge on the sheet, mm")(
      "width-mm", po::value<double>(), "expected window width, mm (size checked to +-1 px)")(
      "height-mm", po::value<double>(), "expected window height, mm (size checked to +-1 px)")(
      "rotated", "the image is turned 180 degrees (hpaio-sim --rotate-back's back sides): turned back, then checked");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    if (vm.count("help")) {
      std::cout << "Usage: hpaio-pagecheck FILE --resolution DPI [--mode color|gray|lineart] [--page N]\n"
                   "                       [--side front|back] [--tl-x MM --tl-y MM] [--width-mm W --height-mm H] "
                   "[--rotated]\n"
                   "Exit 0 with a one-line summary when the image matches hpaio-sim's page pattern,\n"
                   "1 with what differs otherwise, 2 on usage errors.\n\n"
                << desc;
      return 0;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "hpaio-pagecheck: " << e.what() << "\n";
    return 2;
  }
  if (file.empty()) {
    std::cerr << "hpaio-pagecheck: no image file given\n";
    return 2;
  }
  if (mode == "color") {
    spec.mode = ColorMode::color;
  } else if (mode == "gray") {
    spec.mode = ColorMode::gray;
  } else if (mode == "lineart") {
    spec.mode = ColorMode::lineart;
  } else {
    std::cerr << "hpaio-pagecheck: --mode must be color, gray or lineart\n";
    return 2;
  }
  if (side != "front" && side != "back") {
    std::cerr << "hpaio-pagecheck: --side must be front or back\n";
    return 2;
  }
  spec.side = side == "front" ? Side::front : Side::back;
  if (vm.count("width-mm")) spec.width_mm = vm["width-mm"].as<double>();
  if (vm.count("height-mm")) spec.height_mm = vm["height-mm"].as<double>();
  Raster img;
  try {
    img = read_image_file(file);
  } catch (const std::exception& e) {
    std::cout << file << ": " << e.what() << "\n";
    return 1;
  }
  if (vm.count("rotated")) img = rotate_180(img);
  const CheckResult r = check_page(img, spec);
  std::cout << file << ": " << (vm.count("rotated") ? "(turned 180 degrees) " : "") << r.message << "\n";
  return r.ok ? 0 : 1;
}
