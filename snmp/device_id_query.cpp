#include "snmp/device_id_query.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <sys/select.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace hpaio::snmp {
namespace {

enum class State { pending, answered, failed };

struct Pending {
  State state = State::pending;
  std::string device_id;
  std::string error;
};

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    // No MIBs (only numeric OIDs are used) and no persistent state under /var/lib/snmp.
    setenv("MIBS", "", 0);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_QUICK_PRINT, 1);
    // Only the transports: init_snmp() would also read snmp.conf files and create
    // <persistentDir>/cert_indexes (/var/lib/snmp), neither of which a GET needs.
    netsnmp_tdomain_init();
  });
}

int on_response(int operation, netsnmp_session*, int, netsnmp_pdu* pdu, void* magic) {
  auto* p = static_cast<Pending*>(magic);
  if (p->state != State::pending) return 1;
  if (operation != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == nullptr) {
    p->state = State::failed;
    p->error = "no answer";
    return 1;
  }
  if (pdu->errstat != SNMP_ERR_NOERROR) {
    p->state = State::failed;
    p->error = std::string("error-status ") + snmp_errstring(static_cast<int>(pdu->errstat));
    return 1;
  }
  const netsnmp_variable_list* v = pdu->variables;
  if (v == nullptr || v->type != ASN_OCTET_STR || v->val.string == nullptr) {
    p->state = State::failed;
    p->error = "no device-ID string in the answer";
    return 1;
  }
  p->device_id.assign(reinterpret_cast<const char*>(v->val.string), v->val_len);
  p->state = State::answered;
  return 1;
}

std::string peer_name(const DeviceIdQuery& q) {
  const bool v6 = q.address.find(':') != std::string::npos;
  std::string peer = v6 ? "udp6:[" + q.address + "]" : "udp:" + q.address;
  if (q.udp_port) peer += ":" + std::to_string(*q.udp_port);
  return peer;
}

}  // namespace

std::string jetdirect_community(int port) { return port <= 1 ? "public" : "public." + std::to_string(port); }

std::vector<Attempt> device_id_attempts(int jetdirect_port) {
  std::vector<std::string> communities{jetdirect_community(jetdirect_port)};
  if (communities.front() != "public.1") communities.emplace_back("public.1");
  std::vector<Attempt> out;
  for (Version v : {Version::v1, Version::v2c}) {
    for (const std::string& c : communities) out.push_back(Attempt{v, c});
  }
  return out;
}

std::optional<std::uint16_t> snmp_port_from_env() {
  const char* env = std::getenv("HPAIO_SNMP_PORT");
  if (env == nullptr || *env == '\0') return std::nullopt;
  unsigned port = 0;
  const char* end = env + std::strlen(env);
  auto [ptr, ec] = std::from_chars(env, end, port);
  if (ec != std::errc{} || ptr != end || port == 0 || port > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(port);
}

DeviceIdResult query_device_id(const DeviceIdQuery& query, Deadline deadline, const CancelSignal* cancel) {
  init_library();
  const auto budget = deadline - Clock::now();
  const std::vector<Attempt> attempts = device_id_attempts(query.jetdirect_port);
  std::vector<Pending> pending(attempts.size());
  std::vector<void*> sessions(attempts.size(), nullptr);
  const std::string peer = peer_name(query);
  // Each attempt: half the budget per try, one retry (HPLIP: 1 s, 1 retry).
  const long per_try_us =
      std::clamp<long>(static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(budget).count() / 2),
                       50'000L, 1'000'000L);
  // device_id_oid, numerically (no MIB parser needed).
  oid id_oid[] = {1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 1, 1, 7, 0};
  const size_t id_oid_len = sizeof id_oid / sizeof id_oid[0];

  DeviceIdResult result;
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    netsnmp_session s;
    snmp_sess_init(&s);
    s.version = attempts[i].version == Version::v1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
    std::string community = attempts[i].community;
    s.community = reinterpret_cast<u_char*>(community.data());
    s.community_len = community.size();
    std::string peername = peer;
    s.peername = peername.data();
    s.timeout = per_try_us;
    s.retries = 1;
    s.callback = on_response;
    s.callback_magic = &pending[i];
    sessions[i] = snmp_sess_open(&s);
    if (sessions[i] == nullptr) {
      pending[i].state = State::failed;
      int liberr = 0, syserr = 0;
      char* msg = nullptr;
      snmp_error(&s, &liberr, &syserr, &msg);
      pending[i].error = std::string("cannot open an SNMP session to ") + peer + ": " + (msg ? msg : "?");
      free(msg);
      continue;
    }
    netsnmp_pdu* pdu = snmp_pdu_create(SNMP_MSG_GET);
    snmp_add_null_var(pdu, id_oid, id_oid_len);
    if (snmp_sess_async_send(sessions[i], pdu, on_response, &pending[i]) == 0) {
      snmp_free_pdu(pdu);
      pending[i].state = State::failed;
      pending[i].error = "cannot send";
    }
  }

  auto decided = [&]() -> bool {
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (pending[i].state == State::pending) return false;
      if (pending[i].state == State::answered) {
        result.answer = DeviceIdAnswer{pending[i].device_id, attempts[i]};
        return true;
      }
    }
    return true;  // all failed
  };

  bool cancelled = false;
  while (!decided()) {
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    if (cancel != nullptr && cancel->raised()) {
      cancelled = true;
      break;
    }
    int maxfd = 0, block = 0;
    fd_set fds;
    FD_ZERO(&fds);
    timeval tv{static_cast<time_t>(left / 1'000'000), static_cast<suseconds_t>(left % 1'000'000)};
    for (void* h : sessions) {
      if (h != nullptr) snmp_sess_select_info(h, &maxfd, &fds, &tv, &block);
    }
    // Never past our own deadline.
    if (tv.tv_sec * 1'000'000L + tv.tv_usec > left)
      tv = timeval{static_cast<time_t>(left / 1'000'000), static_cast<suseconds_t>(left % 1'000'000)};
    // A cancel wakes the select.
    if (cancel != nullptr && cancel->fd() < FD_SETSIZE) {
      FD_SET(cancel->fd(), &fds);
      maxfd = std::max(maxfd, cancel->fd() + 1);
    }
    int n = select(maxfd, &fds, nullptr, nullptr, &tv);
    if (n > 0 && cancel != nullptr && cancel->fd() < FD_SETSIZE && FD_ISSET(cancel->fd(), &fds)) {
      FD_CLR(cancel->fd(), &fds);
      --n;
      if (n == 0) continue;  // the loop's check ends it
    }
    for (void* h : sessions) {
      if (h == nullptr) continue;
      if (n > 0) {
        snmp_sess_read(h, &fds);
      } else if (n == 0) {
        snmp_sess_timeout(h);
      }
    }
  }
  for (void* h : sessions) {
    if (h != nullptr) snmp_sess_close(h);
  }
  if (!result.answer && cancelled) {
    result.error = "SNMP query to " + peer + " cancelled";
  } else if (!result.answer) {
    std::string why = "no SNMP answer from " + peer;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (pending[i].state == State::failed && pending[i].error != "no answer" && !pending[i].error.empty()) {
        why += " (" + pending[i].error + ")";
        break;
      }
    }
    result.error = why;
  }
  return result;
}

}  // namespace hpaio::snmp
