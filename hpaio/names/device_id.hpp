// IEEE-1284 device IDs ("MFG:HP;MDL:OfficeJet Pro 9010 series;CMD:PCL,PJL;CLS:PRINTER;...") and the
// model tokens HPLIP derives from device IDs and from mDNS TXT records (reference §1.3).
//
// Parsing is lenient, as device IDs in the wild are: fields are split on ';', key and value on the
// first ':'. Keys are matched case-insensitively; keys and values are trimmed of white space and
// control characters (NUL padding too). A missing trailing ';', segments without ':' or without a
// key (junk), and empty input are tolerated: junk is skipped, everything else is kept in order,
// repeated keys included (lookups return the first). The input is the ID itself: strip the 2-byte
// big-endian length that USB and parport put in front of it before calling parse().
//
// The HP check (is_hp). HPLIP (hpmud is_hp) takes a device as HP when MFG: or MANUFACTURER: starts
// with HEWLETT-PACKARD, APOLLO or HP. Here, case-insensitively:
//  * the manufacturer starts with "Hewlett-Packard" or "Hewlett Packard", or with "Apollo" (HP's
//    own consumer brand, kept from HPLIP);
//  * or it is "HP" as a word: "HP", "HP Inc.", but not "HPRT" or "HPE" (HPLIP's bare prefix test
//    takes those other vendors);
//  * or, with no manufacturer field at all, the model starts with "HP " ("MDL:HP LaserJet 1020").
//
// Errors: DeviceId::model_token() throws DeviceIdError when there is no usable model, with a
// message quoting the ID: "device ID 'MFG:HP;': no MDL or MODEL field".
#pragma once

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hpaio {

class DeviceIdError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DeviceIdField {
  std::string key;    // as written, trimmed: "MFG", "mdl", "COMMAND SET"
  std::string value;  // trimmed

  friend bool operator==(const DeviceIdField&, const DeviceIdField&) = default;
};

class DeviceId {
 public:
  static DeviceId parse(std::string_view text);

  // The input, verbatim.
  const std::string& text() const { return text_; }
  // Every key:value pair, in order.
  const std::vector<DeviceIdField>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

  // The first field with this key, compared case-insensitively.
  std::optional<std::string_view> get(std::string_view key) const;

  // The standard fields under their short or long key; the first key listed wins when both exist.
  std::optional<std::string_view> manufacturer() const;   // MFG, MANUFACTURER
  std::optional<std::string_view> model() const;          // MDL, MODEL
  std::optional<std::string_view> command_set() const;    // CMD, COMMAND SET
  std::optional<std::string_view> device_class() const;   // CLS, CLASS
  std::optional<std::string_view> description() const;    // DES, DESCRIPTION
  std::optional<std::string_view> serial_number() const;  // SN, SERN, SERIALNUMBER

  // The command set split on ',', trimmed, empty entries dropped: {"PCL", "PJL", "LEDM"}.
  std::vector<std::string_view> commands() const;

  // See the header comment.
  bool is_hp() const;

  // The URI model token of the model field, by device_id_model_token(); throws DeviceIdError when
  // there is no MDL/MODEL field or the token comes out empty.
  std::string model_token() const;

  friend bool operator==(const DeviceId&, const DeviceId&) = default;

 private:
  std::optional<std::string_view> first_of(std::initializer_list<std::string_view> keys) const;

  std::string text_;
  std::vector<DeviceIdField> fields_;
};

// HPLIP's model token from an IEEE-1284 MDL value (SNMP, USB, parport; also a USB iProduct
// string): leading spaces skipped, cut at ';' or NUL, each run of ' ' and '/' turned into one '_',
// trailing '_' removed. Case is kept and an "HP " prefix stays:
// "HP LaserJet  Pro MFP M127fn/M128fn " -> "HP_LaserJet_Pro_MFP_M127fn_M128fn". May return "".
std::string device_id_model_token(std::string_view mdl);

// HPLIP 3.22's model token from the mDNS/DNS-SD TXT records ty= and mfg= of a scanner (Avahi
// discovery). If ty starts with "HP", its first 3 characters are dropped (HPLIP assumes "HP ");
// otherwise mfg must start with "HP" and the whole ty is used; otherwise the device is not HP and
// the result is empty. Both tests are case-sensitive, as in HPLIP. The rest is lowercased and
// every white-space character becomes '_' (runs are not collapsed):
// ty="HP OfficeJet Pro 9010 series" -> "officejet_pro_9010_series". Empty when the token would be.
std::optional<std::string> avahi_model_token(std::string_view ty, std::string_view mfg);

}  // namespace hpaio
