#include "tests/sim/server/snmpd_config.hpp"

namespace hpsim {

std::string snmpd_config(const Profile& p, int port, const std::string& persistent_dir) {
  std::string id;
  for (char c : p.device_id) {
    if (c == '"' || c == '\\') id += '\\';
    id += c;
  }
  std::string head = "# snmpd.conf written by hpaio-sim for profile " + p.name + " (loopback only)\n";
  if (!persistent_dir.empty()) head += "[snmp] persistentDir " + persistent_dir + "\n";
  return head +
         "# run: snmpd -f -C -c THIS_FILE -I -smux -m '' -Lo   (see tests/integration/lib.sh)\n"
         "agentaddress udp:127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "rocommunity public 127.0.0.1\n"
         "sysDescr HP ETHERNET MULTI-ENVIRONMENT (simulated " +
         p.make_and_model +
         ")\n"
         "sysObjectID .1.3.6.1.4.1.11.2.3.9.1\n"
         "sysName " +
         p.serial +
         "\n"
         "sysLocation hpaio-sim\n"
         "sysContact nobody@example.invalid\n"
         "sysServices 72\n"
         "override " +
         kHpDeviceIdOid + " octet_str \"" + id + "\"\n";
}

}  // namespace hpsim
