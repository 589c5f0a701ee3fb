// Built with VIVACE_DOCS_ASSETS=OFF: the docs pages say where the assets would come from.

#include "vivace/openapi/docs.hpp"

namespace vivace::openapi {

std::optional<Asset> find_asset(std::string_view) noexcept {
  return std::nullopt;
}

bool have_assets() noexcept {
  return false;
}

}  // namespace vivace::openapi
