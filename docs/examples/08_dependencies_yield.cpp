// Dependencies with cleanup: the code after `co_yield` runs after the response has been sent.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>

#include <vivace/vivace.hpp>

struct AuditLog {  // one for the whole app, used from several threads
  std::mutex mutex;
  std::ofstream file{"audit.log", std::ios::app};
  void write(const std::string& line) {
    std::lock_guard lock(mutex);
    file << line << std::endl;
  }
};

struct AuditEntry {
  std::string action = "nothing";
};

vivace::Yield<AuditEntry> audit(vivace::Inject<AuditLog> log) {
  AuditEntry entry;            // before the handler
  auto exit = co_yield entry;  // the handler fills `entry`; the response is sent
  std::string outcome = "ok";  // after the response, on the worker pool
  try {
    exit.rethrow();
  } catch (const vivace::HTTPException& e) {
    outcome = "refused (" + std::to_string(e.status()) + ")";
  } catch (const vivace::RequestValidationError&) {
    outcome = "invalid request";
  } catch (...) {
    outcome = "failed";
  }
  log->write(entry.action + ": " + outcome);
}

int main() {
  vivace::App app({.title = "Dependencies with yield"});
  app.provide<AuditLog>([] { return std::make_shared<AuditLog>(); });

  app.delete_<"/items/{item_id}">(
      [](vivace::Path<"item_id", int> item_id, vivace::Depends<audit> entry) {
        entry->action = "delete item " + std::to_string(*item_id);
        if (*item_id > 100)
          throw vivace::HTTPException(404, "Item not found");
      });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
