#include "tests/sim/core/profiles.hpp"

namespace hpsim {

std::optional<LocationStyle> parse_location_style(std::string_view n) {
  if (n == "absolute") return LocationStyle::absolute;
  if (n == "absolute-port80") return LocationStyle::absolute_port80;
  if (n == "relative-slash") return LocationStyle::relative_slash;
  if (n == "relative") return LocationStyle::relative;
  if (n == "bogus-host") return LocationStyle::bogus_host;
  return std::nullopt;
}

const char* location_style_name(LocationStyle s) {
  switch (s) {
    case LocationStyle::absolute: return "absolute";
    case LocationStyle::absolute_port80: return "absolute-port80";
    case LocationStyle::relative_slash: return "relative-slash";
    case LocationStyle::relative: return "relative";
    case LocationStyle::bogus_host: return "bogus-host";
  }
  return "?";
}

namespace {

std::vector<Profile> make_profiles() {
  std::vector<Profile> v;
  {
    Profile p;
    p.name = "ledm-adf-duplex";
    p.summary = "LEDM inkjet, OfficeJet Pro 9010 class: platen, 35-sheet ADF, duplexer, JPEG and Raw";
    p.protocol = Protocol::ledm;
    p.make_and_model = "HP OfficeJet Pro 9010 series";
    p.models_dat = "officejet_pro_9010_series";
    p.device_id =
        "MFG:HP;MDL:HP OfficeJet Pro 9010 series;CMD:PCL3GUI,PJL,JPEG,PCLM,URF,PWGRaster,DW-PCL,802.3,DESKJET,DYN;"
        "CLS:PRINTER;DES:3UK83B;SN:SIM9010A01;";
    p.mdns_ty = "HP OfficeJet Pro 9010 series";
    p.server_header =
        "HP HTTP Server; HP OfficeJet Pro 9010 series - 3UK83B; Serial Number: SIM9010A01; Built: Mon Mar 04, 2024 "
        "09:12:44AM {SIMULATED}";
    p.serial = "SIM9010A01";
    p.uuid = "5a1e0c3b-9010-4e1d-8a55-00163e9010a1";
    p.platen = {true, 8, 8, 2550, 3534, {75, 100, 150, 200, 300, 600, 1200}};
    p.adf = {true, 8, 8, 2550, 4200, {75, 100, 150, 200, 300}};
    p.duplex = true;
    p.duplex_max_height = 3508;
    p.feeder_capacity = 35;
    p.raw = true;
    p.ledm_prepare_polls = 2;
    v.push_back(p);
  }
  {
    Profile p;
    p.name = "ledm-flatbed";
    p.summary = "LEDM inkjet, ENVY Photo 6200 class: platen only, JPEG and Raw";
    p.protocol = Protocol::ledm;
    p.make_and_model = "HP ENVY Photo 6200 series";
    p.models_dat = "envy_photo_6200_series";
    p.device_id =
        "MFG:HP;MDL:HP ENVY Photo 6200 series;CMD:PCL3GUI,PJL,JPEG,PCLM,URF,PWGRaster,DW-PCL,802.11,DESKJET,DYN;"
        "CLS:PRINTER;DES:K7G18A;SN:SIM6200B02;";
    p.mdns_ty = "HP ENVY Photo 6200 series";
    p.server_header =
        "HP HTTP Server; HP ENVY Photo 6200 series - K7G18A; Serial Number: SIM6200B02; Built: Tue Jan 09, 2024 "
        "02:41:10PM {SIMULATED}";
    p.serial = "SIM6200B02";
    p.uuid = "5a1e0c3b-6200-4e1d-8a55-00163e6200b2";
    p.platen = {true, 8, 8, 2550, 3508, {75, 100, 200, 300, 600, 1200}};
    p.raw = true;
    p.ledm_prepare_polls = 1;
    v.push_back(p);
  }
  {
    Profile p;
    p.name = "escl-flatbed";
    p.summary = "eSCL laser MFP, LaserJet MFP M28 class: platen only, JPEG, a 503 before the page";
    p.protocol = Protocol::escl;
    p.make_and_model = "HP LaserJet MFP M28-M31";
    p.models_dat = "hp_laserjet_mfp_m28-m31";
    p.device_id =
        "MFG:HP;MDL:HP LaserJet MFP M28-M31;CMD:PJL,PCLM,PWGRaster,URF;CLS:PRINTER;DES:HP LaserJet MFP "
        "M28w;SN:SIMM28C03;";
    p.mdns_ty = "HP LaserJet MFP M28-M31";
    p.server_header =
        "HP HTTP Server; HP LaserJet MFP M28w - W2G55A; Serial Number: SIMM28C03; Built: Thu Aug 22, 2024 11:05:31AM "
        "{SIMULATED}";
    p.serial = "SIMM28C03";
    p.uuid = "5a1e0c3b-0028-4e1d-8a55-00163e0028c3";
    p.platen = {true, 300, 300, 2550, 3508, {200, 300, 600}};
    p.location = LocationStyle::absolute;
    p.busy_before_page = 1;
    p.status_lag_ms = 300;
    p.cancel_lag_ms = 0;
    v.push_back(p);
  }
  {
    Profile p;
    p.name = "escl-adf-duplex";
    p.summary = "eSCL laser MFP, Color LaserJet Pro M479 class: platen, 50-sheet ADF, duplex, DNL JPEGs from the ADF";
    p.protocol = Protocol::escl;
    p.make_and_model = "HP Color LaserJet Pro M478f-9f";
    p.models_dat = "hp_color_laserjet_pro_m478f-9f";
    p.device_id =
        "MFG:HP;MDL:HP Color LaserJet Pro M478f-9f;CMD:PJL,PCL,PCLXL,PDF,POSTSCRIPT,PCLM,PWGRaster,URF;"
        "CLS:PRINTER;DES:HP Color LaserJet Pro MFP M479fdw;SN:SIMM479D04;";
    p.mdns_ty = "HP Color LaserJet Pro M478f-9f";
    p.server_header = "nginx";
    p.serial = "SIMM479D04";
    p.uuid = "5a1e0c3b-0479-4e1d-8a55-00163e0479d4";
    p.platen = {true, 8, 8, 2550, 3508, {75, 100, 150, 200, 300, 600, 1200}};
    p.adf = {true, 576, 576, 2550, 4200, {75, 100, 150, 200, 300}};
    p.duplex = true;
    p.duplex_max_height = 3508;
    p.feeder_capacity = 50;
    p.adf_dnl = true;
    p.location = LocationStyle::relative_slash;
    p.busy_before_page = 1;
    p.status_lag_ms = 1000;
    p.cancel_lag_ms = 500;
    p.mopria_certified = "1.3";
    v.push_back(p);
  }
  {
    Profile p;
    p.name = "escl-legacy";
    p.summary = "eSCL with old firmware: 2011/02/08 namespace, version 1.0, no SettingProfiles";
    p.protocol = Protocol::escl;
    p.make_and_model = "HP ScanJet Pro 3500 f1";
    p.models_dat = "hp_scanjet_pro_3500_f1";
    p.device_id = "MFG:HP;MDL:HP ScanJet Pro 3500 f1;CMD:SCL,eSCL;CLS:SCANNER;DES:L2741A;SN:SIM3500E05;";
    p.mdns_ty = "HP ScanJet Pro 3500 f1";
    p.server_header = "Virata-EmWeb/R6_2_1";
    p.serial = "SIM3500E05";
    p.uuid = "5a1e0c3b-3500-4e1d-8a55-00163e3500e5";
    p.platen = {true, 8, 8, 2550, 3508, {75, 150, 200, 300, 600}};
    p.escl_ns = "http://schemas.hp.com/imaging/escl/2011/02/08";
    p.escl_version = "1.0";
    p.version_prefix = "pwg2";
    p.setting_profiles = false;
    p.location = LocationStyle::relative;
    p.content_location = false;
    p.transfer_retry_count = false;
    v.push_back(p);
  }
  {
    Profile p;
    p.name = "escl-enterprise";
    p.summary = "eSCL enterprise MFP (HP_Compact_Server): POST ScanJobs only with Host: localhost";
    p.protocol = Protocol::escl;
    p.make_and_model = "HP Color LaserJet MFP E77830";
    p.models_dat = "hp_color_laserjet_mfp_e77830";
    p.device_id =
        "MFG:HP;MDL:HP Color LaserJet MFP E77830;CMD:PJL,PCL,PCLXL,PDF,POSTSCRIPT,PCLM,PWGRaster,URF;"
        "CLS:PRINTER;DES:5QJ90A;SN:SIME7783F06;";
    p.mdns_ty = "HP Color LaserJet MFP E77830";
    p.server_header = "HP_Compact_Server";
    p.serial = "SIME7783F06";
    p.uuid = "5a1e0c3b-7783-4e1d-8a55-00163e7783f6";
    p.platen = {true, 8, 8, 2550, 3508, {75, 100, 150, 200, 300, 600}};
    p.adf = {true, 300, 300, 2550, 4200, {75, 100, 150, 200, 300, 600}};
    p.duplex = true;
    p.duplex_max_height = 4200;
    p.feeder_capacity = 100;
    p.require_localhost = true;
    p.location = LocationStyle::absolute;
    v.push_back(p);
  }
  {
    Profile p;
    p.name = "wsd-flatbed";
    p.summary = "WS-Scan laser MFP, LaserJet Pro MFP M127fn class: platen only, dib (BMP) pages";
    p.protocol = Protocol::wsd;
    p.make_and_model = "HP LaserJet Pro MFP M127fn";
    p.models_dat = "hp_laserjet_pro_mfp_m127fn";
    p.device_id = "MFG:HP;MDL:HP LaserJet Pro MFP M127fn;CMD:PJL,PCL,PWG,URF;CLS:PRINTER;DES:CZ181A;SN:SIMM127G07;";
    p.mdns_ty = "HP LaserJet Pro MFP M127fn";
    p.server_header =
        "HP HTTP Server; HP LaserJet Pro MFP M127fn - CZ181A; Serial Number: SIMM127G07; Built: Wed Jun 12, 2019 "
        "10:21:05AM {SIMULATED}";
    p.serial = "SIMM127G07";
    p.uuid = "5a1e0c3b-0127-4e1d-8a55-00163e0127a7";
    p.platen = {true, 8, 8, 2550, 3508, {75, 100, 150, 200, 300, 600}};
    p.jpeg = false;
    p.raw = true;
    v.push_back(p);
  }
  {
    Profile p;
    p.name = "wsd-adf-duplex";
    p.summary = "WS-Scan laser MFP, LaserJet MFP M234sdw class: platen, 40-sheet ADF, duplex, jfif and dib";
    p.protocol = Protocol::wsd;
    p.make_and_model = "HP LaserJet MFP M234sdw";
    p.models_dat = "hp_laserjet_mfp_m232-m237";
    p.device_id =
        "MFG:HP;MDL:HP LaserJet MFP M234sdw;CMD:PJL,PCLM,PWGRaster,URF;CLS:PRINTER;DES:HP LaserJet MFP "
        "M234sdw;SN:SIMM234H08;";
    p.mdns_ty = "HP LaserJet MFP M234sdw";
    p.server_header =
        "HP HTTP Server; HP LaserJet MFP M234sdw - 6GX01F; Serial Number: SIMM234H08; Built: Fri Feb 21, 2025 "
        "03:10:44PM {SIMULATED}";
    p.serial = "SIMM234H08";
    p.uuid = "5a1e0c3b-0234-4e1d-8a55-00163e0234b8";
    p.platen = {true, 8, 8, 2550, 3508, {75, 100, 150, 200, 300, 600}};
    p.adf = {true, 8, 8, 2550, 4200, {75, 100, 150, 200, 300}};
    p.duplex = true;
    // ADFBack as large as ADFFront: sane-airscan 0.99.27 takes a WS-Scan source's window as fixed at
    // its maximum and intersects ADFFront with ADFBack, so a smaller ADFBack leaves it no duplex source.
    p.duplex_max_height = 4200;
    p.feeder_capacity = 40;
    p.jpeg = true;
    p.raw = true;
    v.push_back(p);
  }
  return v;
}

}  // namespace

const std::vector<Profile>& all_profiles() {
  static const std::vector<Profile> profiles = make_profiles();  // immutable after first use
  return profiles;
}

const Profile* find_profile(std::string_view name) {
  for (const auto& p : all_profiles()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace hpsim
