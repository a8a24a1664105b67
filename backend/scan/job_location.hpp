// Where a device put a job: the path of a Location header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hpaio::backend {

// The path of a job from a Location header, absolute or relative, whatever host it names (devices
// name hosts that are wrong or unreachable: requests go to the device that was opened), without a
// trailing '/'. nullopt when there is no usable path.
std::optional<std::string> job_path_from_location(std::string_view location);

}  // namespace hpaio::backend
