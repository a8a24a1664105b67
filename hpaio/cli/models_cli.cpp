// hpaio-models: look HPLIP's models.dat up from the command line.
//   hpaio-models [--file PATH] show TOKEN
//   hpaio-models [--file PATH] list [--protocol NAME] [--network]
//   hpaio-models [--file PATH] stats
#include <boost/program_options.hpp>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "models/model_database.hpp"
#include "models/model_resolver.hpp"
#include "models/models_location.hpp"

namespace po = boost::program_options;
using namespace hpaio::models;

namespace {

constexpr int exit_usage = 2;
constexpr int exit_failure = 2;

constexpr const char* usage_text =
    "Usage: hpaio-models [--file PATH] COMMAND\n"
    "Look models up in HPLIP's models.dat.\n"
    "\n"
    "Commands:\n"
    "  show TOKEN                      the section TOKEN resolves to, as key=value lines\n"
    "                                  (TOKEN may be a section name, a device-ID MDL or an mDNS ty)\n"
    "  list [--protocol NAME] [--network]\n"
    "                                  section names; --protocol keeps those whose scan-type is\n"
    "                                  NAME (LEDM, eSCL, SOAPHT, ... or a number); --network keeps\n"
    "                                  those with a network or wireless interface\n"
    "  stats                           sections, unique names and the count of each scan-type\n"
    "\n"
    "Options:\n"
    "  --file PATH                     read PATH instead of the installed models.dat\n"
    "  -h, --help                      this text\n"
    "\n"
    "The installed models.dat is $HPAIO_MODELS_DAT, or <home>/data/models/models.dat with <home>\n"
    "from /etc/hp/hplip.conf. Exit status: 0 done, 2 unknown model, unreadable file or bad usage.\n";

int fail(const std::string& message) {
  std::cerr << "hpaio-models: " << message << "\n";
  return exit_failure;
}

int show(const ModelDatabase& db, const std::string& token) {
  ModelResolver resolver(db);
  Resolution r = resolver.resolve(token);
  if (!r) return fail("unknown model '" + token + "' (not in " + db.origin() + ")");
  const ModelSection& s = *r.section;
  std::cout << "section=" << s.name() << "\n";
  std::cout << "matched-by=" << r.rule << "\n";
  std::cout << "protocol=" << scan_type_name(s.scan_type()) << "\n";
  for (const Attribute& a : s.attributes()) std::cout << a.key << "=" << a.value << "\n";
  return 0;
}

int list(const ModelDatabase& db, const std::string& protocol, bool network) {
  std::optional<ScanType> wanted;
  if (!protocol.empty()) {
    wanted = parse_scan_type(protocol);
    if (!wanted) return fail("unknown protocol '" + protocol + "' (try LEDM, eSCL, SOAPHT, SCL or a number)");
  }
  for (const ModelSection& s : db.sections()) {
    if (wanted && s.scan_type() != *wanted) continue;
    if (network && (s.io_support() & (io_support::network | io_support::wireless)) == 0) continue;
    std::cout << s.name() << "\n";
  }
  return 0;
}

int stats(const ModelDatabase& db) {
  std::map<int, std::size_t> per_type;
  for (const ModelSection& s : db.sections()) ++per_type[static_cast<int>(s.scan_type())];
  std::cout << "sections " << db.sections().size() << "\n";
  std::cout << "unique " << db.unique_names() << "\n";
  for (const auto& [type, n] : per_type) std::cout << "scan-type " << type << " " << n << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string file;
  std::string protocol;
  std::vector<std::string> words;
  bool network = false;

  po::options_description named("options");
  named.add_options()("help,h", "")("file", po::value(&file))("protocol", po::value(&protocol))(
      "network", po::bool_switch(&network))("words", po::value(&words));
  po::positional_options_description positional;
  positional.add("words", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(named).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hpaio-models: " << e.what() << "\n" << usage_text;
    return exit_usage;
  }
  if (vm.count("help")) {
    std::cout << usage_text;
    return 0;
  }
  if (words.empty()) {
    std::cerr << usage_text;
    return exit_usage;
  }
  const std::string& command = words[0];
  bool known =
      (command == "show" && words.size() == 2) || ((command == "list" || command == "stats") && words.size() == 1);
  if (!known) {
    std::cerr << "hpaio-models: bad command line\n" << usage_text;
    return exit_usage;
  }
  if ((!protocol.empty() || network) && command != "list") {
    std::cerr << "hpaio-models: --protocol and --network go with 'list'\n";
    return exit_usage;
  }

  // Every key (show prints them all), so not the shared ModelDatabase::installed().
  std::shared_ptr<const ModelDatabase> db;
  try {
    db = std::make_shared<const ModelDatabase>(
        ModelDatabase::load(file.empty() ? locate_models_dat() : std::filesystem::path(file)));
  } catch (const ModelsError& e) {
    return fail(e.what());
  }

  if (command == "show") return show(*db, words[1]);
  if (command == "list") return list(*db, protocol, network);
  return stats(*db);
}
