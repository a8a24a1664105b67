// Where HPLIP's models.dat is on this machine.
#pragma once

#include <filesystem>

namespace hpaio::models {

// The environment variable that names a models.dat to use instead of the installed one.
inline constexpr const char* models_dat_env = "HPAIO_MODELS_DAT";
// The environment variable that names an hplip.conf to read instead of /etc/hp/hplip.conf.
inline constexpr const char* hplip_conf_env = "HPAIO_HPLIP_CONF";

// $HPAIO_MODELS_DAT if set; otherwise <home>/data/models/models.dat, where <home> is
// `[dirs] home=` in hplip.conf (as HPLIP finds it); otherwise /usr/share/hplip/data/models/models.dat.
std::filesystem::path locate_models_dat();

// `[dirs] home=` from an hplip.conf file, or empty when the file or the key is absent.
std::filesystem::path hplip_home_from_conf(const std::filesystem::path& conf);

}  // namespace hpaio::models
