using System.Reflection;
using Microsoft.Extensions.Logging;
using OvnUnidler.Entities;
using OvnUnidler.Holding;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Idling.Observability;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Observability;

namespace OvnUnidler.Operator.Tests.Observability;

/// <summary>One id, one meaning, across every assembly the operator's process logs from.</summary>
public sealed class EventIdRegistryTests
{
    private static readonly Assembly[] Shipped =
    [
        typeof(EventIds).Assembly,
        typeof(IdlingEventIds).Assembly,
        typeof(OvsdbClient).Assembly,
        typeof(V1Alpha1Idler).Assembly,
        typeof(ConnectionHolder).Assembly,
    ];

    // The operator's registry and the catalogues of the libraries that cannot reference it.
    private static readonly Type[] Catalogues = [typeof(EventIds), typeof(IdlingEventIds), typeof(HoldingEventIds), typeof(OvsdbEventIds)];

    private static readonly BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [Fact]
    public void No_event_id_has_two_names_in_the_registry_and_the_library_catalogues()
    {
        var entries = Catalogues.SelectMany(Entries).ToList();

        var reused = entries.GroupBy(entry => entry.Id).Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(entry => $"{entry.Catalogue.Name}.{entry.Name}"))}").ToList();
        Assert.True(reused.Count == 0, $"ids with two names: {string.Join("; ", reused)}");
        Assert.True(entries.Count > 60, $"only {entries.Count} ids found");
    }

    [Fact]
    public void Every_logger_message_of_the_shipped_assemblies_uses_an_id_of_its_own_catalogue_under_that_id_name()
    {
        var messages = Shipped.SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(Declared))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(message => message.Attribute is not null)
            .ToList();

        var problems = new List<string>();
        foreach (var (method, attribute) in messages)
        {
            var where = $"{method.DeclaringType!.FullName}.{method.Name}";
            var catalogue = Catalogues.SingleOrDefault(candidate => candidate.Assembly == method.DeclaringType.Assembly);
            var registered = catalogue is null ? null : Entries(catalogue).FirstOrDefault(entry => entry.Id == attribute!.EventId);
            var eventName = attribute!.EventName ?? method.Name;
            if (registered is null)
            {
                problems.Add($"{where}: event id {attribute.EventId} is not in {catalogue?.Name ?? $"a catalogue of {method.DeclaringType.Assembly.GetName().Name}"}");
            }
            else if (eventName != registered.Name)
            {
                problems.Add($"{where}: event id {attribute.EventId} is {registered.Catalogue.Name}.{registered.Name} but the event is named {eventName}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(messages.Count > 60, $"only {messages.Count} [LoggerMessage] methods found");
        Assert.Contains(messages, message => message.Method.DeclaringType!.Assembly == typeof(OvsdbClient).Assembly);
        Assert.Contains(messages, message => message.Method.DeclaringType!.Assembly == typeof(IdlingEventIds).Assembly);
        Assert.Contains(messages, message => message.Method.DeclaringType!.Assembly == typeof(HoldingEventIds).Assembly);
    }

    private static IEnumerable<Entry> Entries(Type catalogue) =>
        catalogue.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(int))
            .Select(field => new Entry(catalogue, field.Name, (int)field.GetRawConstantValue()!));

    private sealed record Entry(Type Catalogue, string Name, int Id);
}
