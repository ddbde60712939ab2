#include "support/PgSchema.h"

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <cstdlib>

#include "core/Uuid.h"
#include "support/Skip.h"

namespace fk::test {

std::unique_ptr<PgSchema> PgSchema::Create(const std::string& prefix) {
    const char* base = std::getenv("FK_TEST_PG_URL");
    const char* require = std::getenv("FK_REQUIRE_PG");
    const bool required = require != nullptr && std::string(require) == "1";
    std::string problem;
    std::string name = prefix;
    unsigned char bytes[6];
    core::FillRandom(bytes, sizeof bytes);
    for (unsigned char b : bytes) {
        static constexpr char kHex[] = "0123456789abcdef";
        name += kHex[b >> 4];
        name += kHex[b & 15];
    }
    if (base == nullptr || *base == '\0') {
        problem = "FK_TEST_PG_URL is not set";
    } else {
        PGconn* c = PQconnectdb(base);
        if (PQstatus(c) != CONNECTION_OK) {
            problem = std::string("cannot connect to ") + base + ": " + PQerrorMessage(c);
        } else {
            PGresult* r = PQexec(c, ("CREATE SCHEMA " + name).c_str());
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                problem = PQresultErrorMessage(r);
            PQclear(r);
        }
        PQfinish(c);
    }
    if (!problem.empty()) {
        if (required)
            FAIL("PostgreSQL is required (FK_REQUIRE_PG=1) but unavailable: " << problem);
        Skip("the PostgreSQL run: " + problem + " (scripts/test starts a cluster)");
        return nullptr;
    }
    return std::unique_ptr<PgSchema>(new PgSchema(base, name));
}

PgSchema::~PgSchema() {
    PGconn* c = PQconnectdb(m_base.c_str());
    if (PQstatus(c) == CONNECTION_OK)
        PQclear(PQexec(c, ("DROP SCHEMA IF EXISTS " + m_name + " CASCADE").c_str()));
    PQfinish(c);
}

std::string PgSchema::Url() const {
    return m_base + (m_base.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + m_name;
}

}  // namespace fk::test
