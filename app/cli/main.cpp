// bulkhead-cli: the headless front end of Bulkhead, for terminals and CI pipelines.
#include "commands.h"
#include "output.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char **argv)
{
    CLI::App app{"Bulkhead: least-privilege Kubernetes NetworkPolicies from observed traffic",
                 "bulkhead-cli"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "bulkhead-cli " BULKHEAD_VERSION);
    int exitCode = bulkhead::cli::ExitOk;
    bulkhead::cli::registerGenerateCommand(app, exitCode);
    bulkhead::cli::registerFlowsCommand(app, exitCode);
    bulkhead::cli::registerBlastRadiusCommand(app, exitCode);
    bulkhead::cli::registerCheckCommand(app, exitCode);
    bulkhead::cli::registerRenderCommand(app, exitCode);
    bulkhead::cli::registerCaptureCommand(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        app.exit(e); // prints the message and usage
        return bulkhead::cli::ExitBadInput;
    }
    return exitCode;
}
