using System.Globalization;
using OvnUnidler.Ovsdb.Fuzzing.Decoding;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Fuzzing.Recording;
using OvnUnidler.Ovsdb.Fuzzing.Running;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;

switch (args)
{
    // record DIR: capture the seed corpus from real ovsdb-servers into DIR (the committed one is Corpus/ next to this file).
    case ["record", var directory]:
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await new CorpusRecorder(Console.Out).RecordAsync(directory, cancellation.Token);
        return 0;
    }

    case ["fuzz", .. var rest] when FuzzArguments.TryParse(rest, out var parsed):
    {
        var corpus = parsed.Corpus is { } path ? SeedCorpus.FromDirectory(path) : SeedCorpus.Embedded();
        var engine = new FuzzEngine(new CaseGenerator(corpus) { ConnectionShare = parsed.ConnectionShare }, new ClientDecoder(corpus), Console.Error);
        if (parsed.Case is { } number)
        {
            var (fuzzCase, outcome) = await engine.RunCaseAsync(parsed.Options.Seed, number, parsed.Options.Limits);
            Console.WriteLine(FuzzEngine.Describe(fuzzCase, outcome, FuzzEngine.Signature(outcome)));
            if (parsed.Options.OutputDirectory is { } output)
            {
                Directory.CreateDirectory(output);
                var file = Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"case-{fuzzCase.Seed}-{fuzzCase.Number}.bin"));
                await File.WriteAllBytesAsync(file, fuzzCase.Bytes);
                Console.WriteLine($"bytes: {file}");
            }

            return outcome.Class is OutcomeClass.Crash or OutcomeClass.Hang or OutcomeClass.Stalled ? 1 : 0;
        }

        var report = await engine.RunAsync(parsed.Options, CancellationToken.None);
        report.WriteTo(Console.Out);
        return report.Failures > 0 ? 1 : 0;
    }

    default:
        Console.Error.WriteLine("""
            usage: dotnet run --project src/Tools/OvnUnidler.Ovsdb.Fuzzing -- record DIR
                   dotnet run --project src/Tools/OvnUnidler.Ovsdb.Fuzzing -- fuzz [--cases N] [--seed S] [--out DIR]
                          [--first N] [--case N] [--cpu-limit-ms T] [--backstop-s B] [--corpus DIR] [--connection-share P]
            fuzz exits 1 when a case crashed, hung or stalled; --case N runs only case N of seed S (to reproduce a finding).
            A case is a hang when it uses more than T ms of CPU (default 2000), or T/2 without taking in a byte or
            handling a message; it is stalled when it has no such verdict after B s of wall-clock time (default 120).
            """);
        return 2;
}
