// Background tasks: work that runs after the response has been sent.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include <vivace/vivace.hpp>

void write_log(const std::string& line) {  // runs on the worker pool: it may block
  std::ofstream("log.txt", std::ios::app) << line << '\n';
}

// Dependencies may add tasks too; all of them go to the request's one list.
std::string last_query(vivace::Query<"q", std::optional<std::string>> q,
                       vivace::BackgroundTasks tasks) {
  if (*q)
    tasks.add([query = **q] { write_log("found query: " + query); });
  return q->value_or("");
}

int main() {
  vivace::App app({.title = "Background tasks"});

  app.post<"/send-notification/{email}">([](vivace::Path<"email", vivace::Email> email,
                                            vivace::BackgroundTasks tasks,
                                            vivace::Depends<last_query>) {
    tasks.add([to = email->value] { write_log("notification for " + to + ": some notification"); });
    return boost::json::value{{"message", "Notification sent in the background"}};
  });

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
