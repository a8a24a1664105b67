#include "tests/sim/server/mdns_publisher.hpp"

#ifdef HPAIO_SIM_HAVE_AVAHI
#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/address.h>
#include <avahi-common/error.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>
#endif

#include <arpa/inet.h>
#include <net/if.h>

#include <iostream>

namespace hpsim {

std::string mdns_host_name(std::string name) {
  while (name.ends_with(".")) name.pop_back();
  if (name.find('.') == std::string::npos) name += ".local";
  return name;
}

std::optional<MdnsAddress> parse_mdns_address(const std::string& text) {
  MdnsAddress a;
  const auto percent = text.find('%');
  a.address = text.substr(0, percent);
  if (percent != std::string::npos) a.interface = text.substr(percent + 1);
  unsigned char buf[16];
  const bool v4 = inet_pton(AF_INET, a.address.c_str(), buf) == 1;
  const bool v6 = !v4 && inet_pton(AF_INET6, a.address.c_str(), buf) == 1;
  if (!v4 && !v6) return std::nullopt;
  if (percent != std::string::npos && (!v6 || a.interface.empty())) return std::nullopt;
  return a;
}

std::string mdns_instance_name(const Profile& p) {
  return p.make_and_model + " [" + p.serial.substr(p.serial.size() > 6 ? p.serial.size() - 6 : 0) + "]";
}

TxtRecord uscan_txt(const Profile& p) {
  std::string is;
  if (p.platen.present) is = "platen";
  if (p.adf.present) is += is.empty() ? "adf" : ",adf";
  // pdl and cs as ipp-usb derives them from the capabilities: every format, every colour mode.
  const auto list = [](std::initializer_list<std::pair<bool, const char*>> items) {
    std::string out;
    for (const auto& [on, name] : items) {
      if (on) out += (out.empty() ? "" : ",") + std::string(name);
    }
    return out;
  };
  const std::string pdl =
      list({{p.jpeg, "image/jpeg"}, {p.pdf, "application/pdf"}, {p.raw, "application/octet-stream"}});
  const std::string cs = list({{p.color, "color"}, {p.grayscale, "grayscale"}, {p.blackandwhite1, "binary"}});
  TxtRecord t{{"txtvers", "1"},
              {"vers", p.escl_version},
              {"rs", "eSCL"},
              {"ty", p.mdns_ty},
              {"mfg", "HP"},
              {"mdl", p.mdns_ty.starts_with("HP ") ? p.mdns_ty.substr(3) : p.mdns_ty},
              {"usb_MFG", "HP"},
              {"usb_MDL", p.mdns_ty},
              {"pdl", pdl},
              {"cs", cs},
              {"is", is},
              {"duplex", p.duplex ? "T" : "F"},
              {"uuid", p.uuid},
              {"adminurl", "http://127.0.0.1/"},
              {"representation", "http://127.0.0.1/images/printer.png"},
              {"note", ""}};
  if (!p.mopria_certified.empty()) t.emplace_back("mopria-certified-scan", p.mopria_certified);
  return t;
}

TxtRecord scanner_txt(const Profile& p) {
  TxtRecord t{{"txtvers", "1"},
              {"ty", p.mdns_ty},
              {"mfg", "HP"},
              {"mdl", p.mdns_ty},
              {"UUID", p.uuid},
              {"note", ""},
              {"adminurl", "http://127.0.0.1/"}};
  if (p.platen.present) t.emplace_back("flatbed", "T");
  if (p.adf.present) t.emplace_back("feeder", "T");
  return t;
}

std::vector<MdnsService> mdns_services(const Profile& p, std::uint16_t port, std::uint16_t tls_port) {
  std::vector<MdnsService> v;
  // An LEDM device that also serves eSCL (--both-protocols) publishes its eSCL half, whose
  // capabilities list K1 as BlackAndWhite1.
  const bool escl = p.protocol == Protocol::escl || p.also_escl;
  Profile e = p;
  if (p.protocol == Protocol::ledm) e.blackandwhite1 = true;
  if (port != 0 && escl) v.push_back({"_uscan._tcp", port, uscan_txt(e)});
  if (tls_port != 0 && escl) v.push_back({"_uscans._tcp", tls_port, uscan_txt(e)});
  if (port != 0) v.push_back({"_scanner._tcp", port, scanner_txt(p)});
  return v;
}

#ifdef HPAIO_SIM_HAVE_AVAHI

namespace {

class AvahiPublisher : public MdnsPublisher {
 public:
  ~AvahiPublisher() override {
    if (poll_ != nullptr) avahi_threaded_poll_stop(poll_);
    if (client_ != nullptr) avahi_client_free(client_);  // frees the entry group too
    if (poll_ != nullptr) avahi_threaded_poll_free(poll_);
  }

  bool start(const Profile& p, std::uint16_t port, std::uint16_t tls_port, const std::optional<MdnsHost>& host,
             std::string* error) {
    poll_ = avahi_threaded_poll_new();
    if (poll_ == nullptr) return fail(error, "avahi_threaded_poll_new failed");
    int err = 0;
    client_ =
        avahi_client_new(avahi_threaded_poll_get(poll_), static_cast<AvahiClientFlags>(0), &on_client, this, &err);
    if (client_ == nullptr) return fail(error, std::string("cannot reach the Avahi daemon: ") + avahi_strerror(err));
    group_ = avahi_entry_group_new(client_, &on_group, nullptr);
    if (group_ == nullptr) return fail(error, avahi_strerror(avahi_client_errno(client_)));
    const char* host_name = nullptr;  // the daemon's own
    if (host) {
      for (const std::string& text : host->addresses) {
        const auto parsed = parse_mdns_address(text);
        AvahiAddress a;
        if (!parsed || avahi_address_parse(parsed->address.c_str(), AVAHI_PROTO_UNSPEC, &a) == nullptr) {
          return fail(error, "--mdns-host: cannot publish address " + text);
        }
        AvahiIfIndex iface = AVAHI_IF_UNSPEC;
        if (!parsed->interface.empty()) {
          const unsigned index = if_nametoindex(parsed->interface.c_str());
          if (index == 0) return fail(error, "--mdns-address " + text + ": no interface " + parsed->interface);
          iface = static_cast<AvahiIfIndex>(index);
        }
        // No reverse (PTR) record: the daemon's own host, or another simulator, may claim it.
        const int rc = avahi_entry_group_add_address(group_, iface, AVAHI_PROTO_UNSPEC, AVAHI_PUBLISH_NO_REVERSE,
                                                     host->name.c_str(), &a);
        if (rc < 0) return fail(error, "publishing " + host->name + " -> " + text + ": " + avahi_strerror(rc));
      }
      host_name = host->name.c_str();
    }
    const std::string name = mdns_instance_name(p);
    const auto services = mdns_services(p, port, tls_port);
    if (services.empty()) return fail(error, "nothing to publish (no listener for this profile's services)");
    for (const auto& s : services) {
      if (!add(name, s.type.c_str(), s.port, host_name, s.txt, error)) return false;
    }
    if (const int rc = avahi_entry_group_commit(group_); rc < 0) return fail(error, avahi_strerror(rc));
    if (avahi_threaded_poll_start(poll_) < 0) return fail(error, "avahi_threaded_poll_start failed");
    return true;
  }

 private:
  static void on_client(AvahiClient*, AvahiClientState, void*) {}

  // Runs on Avahi's poll thread. A collision (another device with this service or host name)
  // leaves the device unpublished; say so rather than pass silently.
  static void on_group(AvahiEntryGroup*, AvahiEntryGroupState state, void*) {
    if (state == AVAHI_ENTRY_GROUP_COLLISION) {
      std::cerr << "hpaio-sim: --mdns: name collision, not published (another device has this name)" << std::endl;
    } else if (state == AVAHI_ENTRY_GROUP_FAILURE) {
      std::cerr << "hpaio-sim: --mdns: the Avahi daemon failed to publish the device" << std::endl;
    }
  }

  bool add(const std::string& name, const char* type, std::uint16_t port, const char* host, const TxtRecord& txt,
           std::string* error) {
    AvahiStringList* l = nullptr;
    for (auto it = txt.rbegin(); it != txt.rend(); ++it)
      l = avahi_string_list_add_pair(l, it->first.c_str(), it->second.c_str());
    const int rc = avahi_entry_group_add_service_strlst(group_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                        static_cast<AvahiPublishFlags>(0), name.c_str(), type, nullptr,
                                                        host, port, l);
    avahi_string_list_free(l);
    if (rc < 0) return fail(error, std::string("publishing ") + type + ": " + avahi_strerror(rc));
    return true;
  }

  static bool fail(std::string* error, std::string why) {
    if (error != nullptr) *error = std::move(why);
    return false;
  }

  AvahiThreadedPoll* poll_ = nullptr;
  AvahiClient* client_ = nullptr;
  AvahiEntryGroup* group_ = nullptr;
};

}  // namespace

std::unique_ptr<MdnsPublisher> MdnsPublisher::create(const Profile& p, std::uint16_t port,
                                                     const std::optional<MdnsHost>& host, std::string* error,
                                                     std::uint16_t tls_port) {
  auto pub = std::make_unique<AvahiPublisher>();
  if (!pub->start(p, port, tls_port, host, error)) return nullptr;
  return pub;
}

#else

std::unique_ptr<MdnsPublisher> MdnsPublisher::create(const Profile&, std::uint16_t, const std::optional<MdnsHost>&,
                                                     std::string* error, std::uint16_t) {
  if (error != nullptr) *error = "hpaio-sim was built without libavahi-client";
  return nullptr;
}

#endif

}  // namespace hpsim
