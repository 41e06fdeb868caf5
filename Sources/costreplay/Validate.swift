import ArgumentParser
import CostReplayCore
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check CostReplay's levers against public labelled data.", subcommands: [QQP.self, Mooncake.self, RouteLLM.self, ShareGPT.self, AzureGPU.self])
}

