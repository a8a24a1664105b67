// hpaio-makeuri: the URIs of an HP network device, as HPLIP's hp-makeuri prints them.
//   hpaio-makeuri [-c|-s|-f|--json] [-p PORT] [--timeout SECONDS] ADDRESS|HOSTNAME
// The model comes from HP's SNMP device ID (v1 then v2c, community public then public.1); when
// SNMP does not answer, from the device's LEDM or eSCL description over HTTP, then from its
// WS-Discovery metadata (a Probe sent to the address, then a WS-Transfer Get), then from its mDNS
// TXT record. Exit status: 0, 1 when no HP device answers (or the asked URI does not exist), 2 for
// usage errors.
#include <netdb.h>
#include <sys/socket.h>

#include <boost/asio/ip/address.hpp>
#include <boost/program_options.hpp>
#include <future>
#include <iostream>
#include <thread>

#include "backend/driver/http_probe.hpp"
#include "base/ascii.hpp"
#include "base/cancel_signal.hpp"
#include "base/clock.hpp"
#include "hpaio/cli/makeuri_format.hpp"
#include "hpaio/discovery/wsd_search.hpp"
#include "hpaio/names/device_id.hpp"
#include "mdns/avahi/service_browser.hpp"
#include "mdns/records/hp_service.hpp"
#include "models/model_database.hpp"
#include "snmp/device_id_query.hpp"

namespace po = boost::program_options;
using namespace hpaio;

namespace {

constexpr int exit_not_found = 1;
constexpr int exit_usage = 2;

constexpr const char* usage_text =
    "Usage: hpaio-makeuri [-c|-s|-f|--json] [-p PORT] [--timeout SECONDS] ADDRESS|HOSTNAME\n"
    "Print the CUPS, SANE and fax URIs of an HP network device, as HPLIP's hp-makeuri does.\n"
    "\n"
    "  -c, --cups           print only the CUPS URI (hp:/net/...)\n"
    "  -s, --sane           print only the SANE URI (hpaio:/net/...)\n"
    "  -f, --fax            print only the fax URI (hpfax:/net/...)\n"
    "      --json           print everything found as one JSON object\n"
    "  -p, --port PORT      JetDirect port 1 (default), 2 or 3\n"
    "      --timeout SECS   give up after this long (default 5)\n"
    "      --snmp-port N    SNMP UDP port (default: $HPAIO_SNMP_PORT, else net-snmp's, 161)\n"
    "  -h, --help           this text\n"
    "\n"
    "ADDRESS is an IPv4 or IPv6 address (fe80::1%eth0 for link-local); a HOSTNAME is tried as\n"
    "HOSTNAME.local over mDNS first (zc= URIs), then through the resolver (hostname= URIs).\n"
    "The model comes from HP's SNMP device ID (OID 1.3.6.1.4.1.11.2.3.9.1.1.7.0, SNMPv1 then v2c,\n"
    "community public then public.1); when SNMP is off, from the device's LEDM or eSCL description\n"
    "over HTTP, then from its WS-Discovery metadata (a Probe to UDP port 3702 of the address, then\n"
    "a WS-Transfer Get: ThisModel and the WS-Scan service), then from its mDNS TXT record.\n"
    "Exit status: 0 found, 1 no HP device answered (or it lacks the URI asked for), 2 usage.\n";

struct Target {
  HostParam param = HostParam::ip;
  std::string uri_host;   // what goes into the URI (ip=, hostname=, zc=)
  std::string address;    // what to send to, "10.0.0.5" or "fe80::1%eth0"
  std::string mdns_host;  // "name.local" when found over mDNS
};

std::optional<std::string> address_literal(std::string text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  const std::size_t percent = text.find('%');
  const std::string bare = text.substr(0, percent);
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(bare, ec);
  if (ec) return std::nullopt;
  if (percent != std::string::npos && !a.is_v6()) return std::nullopt;
  return text;
}

// getaddrinfo on a thread, not waited for past the deadline.
std::optional<std::string> resolve_dns(const std::string& name, Deadline deadline) {
  auto task = std::make_shared<std::packaged_task<std::optional<std::string>()>>([name] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(name.c_str(), nullptr, &hints, &res) != 0 || res == nullptr) return std::optional<std::string>();
    std::optional<std::string> best;
    for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
      char host[NI_MAXHOST];
      if (getnameinfo(p->ai_addr, p->ai_addrlen, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) continue;
      if (!best || p->ai_family == AF_INET) best = host;
      if (p->ai_family == AF_INET) break;
    }
    freeaddrinfo(res);
    return best;
  });
  auto future = task->get_future();
  std::thread([task] { (*task)(); }).detach();
  if (future.wait_until(deadline) != std::future_status::ready) return std::nullopt;
  return future.get();
}

std::optional<Target> find_target(const std::string& arg, Deadline deadline, std::string& error) {
  if (auto literal = address_literal(arg)) return Target{HostParam::ip, *literal, *literal, {}};
  std::string name = arg;
  if (!name.empty() && name.back() == '.') name.pop_back();
  const bool dotted_local = name.size() > 6 && iequals(std::string_view(name).substr(name.size() - 6), ".local");
  if (dotted_local || name.find('.') == std::string::npos) {
    const std::string short_name = dotted_local ? name.substr(0, name.size() - 6) : name;
    // A third of the time, at most 1 s: DNS gets the rest.
    const Clock::time_point now = Clock::now();
    const Deadline mdns_deadline = now + std::min<Clock::duration>(std::chrono::seconds(1), (deadline - now) / 3);
    std::string why;
    if (auto found = mdns::resolve_host_name(short_name + ".local", mdns_deadline, nullptr, &why)) {
      const std::string addr = found->zone.empty() ? found->address : found->address + "%" + found->zone;
      return Target{HostParam::zc, short_name, addr, short_name + ".local"};
    }
  }
  if (auto addr = resolve_dns(name, deadline)) return Target{HostParam::hostname, name, *addr, {}};
  error = "cannot resolve '" + arg + "' (neither over mDNS nor DNS)";
  return std::nullopt;
}

bool same_address(const std::string& a, const std::string& b) {
  boost::system::error_code e1, e2;
  const auto x = boost::asio::ip::make_address(a.substr(0, a.find('%')), e1);
  const auto y = boost::asio::ip::make_address(b.substr(0, b.find('%')), e2);
  return !e1 && !e2 && x == y;
}

std::optional<DeviceFacts> facts_from_mdns(const std::vector<mdns::ResolvedService>& services, const Target& t) {
  std::optional<DeviceFacts> facts;
  for (const mdns::ResolvedService& s : services) {
    const bool match =
        same_address(s.address, t.address) || (!t.mdns_host.empty() && iequals(s.host_name, t.mdns_host));
    if (!match) continue;
    const auto model = mdns::hp_model(s.txt);
    if (!model) continue;
    if (!facts) {
      facts = DeviceFacts{device_id_model_token(model->name), model->name, "mdns", {}, false, {}};
      if (facts->token.empty()) facts.reset();
    }
    if (facts && mdns::speaks_escl(s)) {
      facts->speaks_scan = true;
      facts->protocol = "eSCL";
    }
  }
  return facts;
}

// The device at the target's address among those WS-Discovery found, as facts.
std::optional<DeviceFacts> facts_from_wsd(const WsdSearchResult& r, const Target& t) {
  for (const WsdDevice& d : r.devices) {
    const bool here = std::any_of(d.addresses.begin(), d.addresses.end(),
                                  [&](const std::string& a) { return same_address(a, t.address); });
    if (!here || d.metadata.model_name.empty()) continue;
    const auto model = mdns::hp_model_named(d.metadata.model_name, d.metadata.manufacturer);
    if (!model) continue;
    DeviceFacts f{device_id_model_token(model->name), model->name, "ws-discovery", {}, false, {}};
    if (f.token.empty()) continue;
    if (!d.metadata.scan_services.empty()) {
      f.speaks_scan = true;
      f.protocol = "WS-Scan";
    }
    return f;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  bool cups = false, sane = false, fax = false, json = false;
  int port = 1;
  double timeout_s = 5;
  int snmp_port = 0;
  std::string argument;
  po::options_description desc;
  desc.add_options()("cups,c", po::bool_switch(&cups))("sane,s", po::bool_switch(&sane))(
      "fax,f", po::bool_switch(&fax))("json", po::bool_switch(&json))("port,p", po::value(&port))(
      "timeout", po::value(&timeout_s))("snmp-port", po::value(&snmp_port))("help,h", "")("target",
                                                                                          po::value(&argument));
  po::positional_options_description positional;
  positional.add("target", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hpaio-makeuri: " << e.what() << "\n" << usage_text;
    return exit_usage;
  }
  if (vm.count("help")) {
    std::cout << usage_text;
    return 0;
  }
  if (argument.empty()) {
    std::cerr << "hpaio-makeuri: an ADDRESS or HOSTNAME is required\n" << usage_text;
    return exit_usage;
  }
  if (cups + sane + fax + json > 1) {
    std::cerr << "hpaio-makeuri: -c, -s, -f and --json exclude each other\n";
    return exit_usage;
  }
  if (port < 1 || port > 3) {
    std::cerr << "hpaio-makeuri: the JetDirect port must be 1, 2 or 3, got " << port << "\n";
    return exit_usage;
  }
  if (!(timeout_s > 0) || timeout_s > 600) {
    std::cerr << "hpaio-makeuri: --timeout must be more than 0 and at most 600 seconds\n";
    return exit_usage;
  }
  if (snmp_port < 0 || snmp_port > 65535) {
    std::cerr << "hpaio-makeuri: --snmp-port must be 1..65535\n";
    return exit_usage;
  }
  const OutputMode mode = cups   ? OutputMode::cups
                          : sane ? OutputMode::sane
                          : fax  ? OutputMode::fax
                          : json ? OutputMode::json
                                 : OutputMode::all;
  const Deadline deadline = deadline_in(std::chrono::milliseconds(static_cast<long>(timeout_s * 1000)));

  std::string error;
  const std::optional<Target> target = find_target(argument, deadline, error);
  if (!target) {
    std::cerr << "hpaio-makeuri: " << error << "\n";
    return exit_not_found;
  }
  // The three sources at once, each ended by `stop` once the answer is known; SNMP's answer is
  // preferred, then HTTP's, then mDNS's.
  CancelSignal stop;
  snmp::DeviceIdQuery q;
  q.address = target->address;
  q.jetdirect_port = port;
  const Deadline snmp_deadline = std::min(deadline, deadline_in(std::chrono::milliseconds(2000)));
  if (snmp_port > 0) {
    q.udp_port = static_cast<std::uint16_t>(snmp_port);
  } else {
    q.udp_port = snmp::snmp_port_from_env();
  }
  std::promise<snmp::DeviceIdResult> snmp_promise;
  auto snmp_future = snmp_promise.get_future();
  std::thread snmp_thread([&] { snmp_promise.set_value(snmp::query_device_id(q, snmp_deadline, &stop)); });

  std::string http_error;
  std::promise<std::optional<HttpDescription>> http_promise;
  auto http_future = http_promise.get_future();
  std::thread http_thread([&] { http_promise.set_value(probe_http(target->address, deadline, &stop, &http_error)); });

  std::promise<WsdSearchResult> wsd_promise;
  auto wsd_future = wsd_promise.get_future();
  const Deadline wsd_answers_until = std::min(deadline, deadline_in(std::chrono::milliseconds(2000)));  // as SNMP's
  std::thread wsd_thread([&] {
    try {
      wsd_promise.set_value(search_wsd({target->address}, wsd_answers_until, deadline, &stop));
    } catch (const std::exception& e) {  // out of threads or memory: WS-Discovery found nothing
      WsdSearchResult failed;
      failed.error = e.what();
      wsd_promise.set_value(std::move(failed));
    }
  });

  std::promise<mdns::BrowseResult> mdns_promise;
  auto mdns_future = mdns_promise.get_future();
  std::thread mdns_thread([&] {
    mdns::BrowseOptions o;
    o.types.assign(mdns::browsed_service_types.begin(), mdns::browsed_service_types.end());
    mdns_promise.set_value(mdns::browse(o, deadline, &stop));
  });
  auto finish = [&] {
    stop.raise();
    snmp_thread.join();
    http_thread.join();
    wsd_thread.join();
    mdns_thread.join();
  };

  const models::ModelDatabase::Installed& installed = models::ModelDatabase::installed();
  std::optional<models::ModelResolver> resolver;
  if (installed.database) resolver.emplace(*installed.database);
  const models::ModelResolver* r = resolver ? &*resolver : nullptr;

  std::optional<DeviceFacts> facts;
  std::vector<std::string> reasons;
  const snmp::DeviceIdResult snmp_result = snmp_future.get();  // bounded by snmp_deadline
  if (snmp_result.answer) {
    const DeviceId id = DeviceId::parse(snmp_result.answer->device_id);
    if (!id.is_hp()) {
      finish();
      std::cerr << "hpaio-makeuri: " << argument << " is not an HP device (device ID '" << id.text() << "')\n";
      return exit_not_found;
    }
    try {
      facts = DeviceFacts{id.model_token(), std::string(id.model().value_or("")), "snmp", id.text(), false, {}};
    } catch (const DeviceIdError& e) {
      reasons.push_back(e.what());
    }
  } else {
    reasons.push_back("SNMP: " + snmp_result.error);
  }
  // Whether the device speaks a protocol we scan with, when models.dat cannot say.
  const bool known_scan = facts && r != nullptr && [&] {
    const models::Resolution res = r->resolve(facts->token);
    return res && models::is_network_scan_protocol(res.section->scan_type());
  }();
  if (!facts || !known_scan) {
    if (http_future.wait_until(deadline) == std::future_status::ready) {
      if (auto d = http_future.get()) {
        if (!facts) {
          const DeviceId id = DeviceId::parse("MDL:" + d->make_and_model + ";");
          if (id.is_hp()) {
            facts =
                DeviceFacts{device_id_model_token(d->make_and_model), d->make_and_model, "http", {}, true, d->protocol};
          } else {
            reasons.push_back("HTTP: '" + d->make_and_model + "' is not an HP model");
          }
        } else {
          facts->speaks_scan = true;
          facts->protocol = d->protocol;
        }
      } else {
        reasons.push_back("HTTP: " + http_error);
      }
    }
  }
  if (!facts || (!known_scan && !facts->speaks_scan)) {
    if (wsd_future.wait_until(deadline) == std::future_status::ready) {
      const WsdSearchResult w = wsd_future.get();
      if (auto found = facts_from_wsd(w, *target)) {
        if (!facts) {
          facts = std::move(found);
        } else if (found->speaks_scan) {
          facts->speaks_scan = true;
          facts->protocol = found->protocol;
        }
      } else {
        reasons.push_back("WS-Discovery: " + (w.error.empty() ? "no HP device answered the Probe" : w.error));
      }
    }
  }
  if (!facts) {
    if (mdns_future.wait_until(deadline + std::chrono::milliseconds(100)) == std::future_status::ready) {
      const mdns::BrowseResult b = mdns_future.get();
      facts = facts_from_mdns(b.services, *target);
      if (!facts) reasons.push_back("mDNS: " + (b.error.empty() ? "no HP service at that address" : b.error));
    }
  }
  finish();
  if (!facts || facts->token.empty()) {
    std::cerr << "hpaio-makeuri: no HP device answers at " << argument
              << (target->address != argument ? " (" + target->address + ")" : "") << " (";
    for (std::size_t i = 0; i < reasons.size(); ++i) std::cerr << (i ? "; " : "") << reasons[i];
    std::cerr << ")\n";
    return exit_not_found;
  }
  try {
    const MadeUris uris = make_uris(*facts, target->param, target->uri_host, port, r);
    const FormattedOutput out = format_uris(uris, *facts, target->address, mode);
    std::cout << out.text;
    if (!out.error.empty()) {
      std::cerr << "hpaio-makeuri: " << out.error << "\n";
      return exit_not_found;
    }
  } catch (const UriError& e) {
    std::cerr << "hpaio-makeuri: " << e.what() << "\n";
    return exit_not_found;
  }
  return 0;
}
