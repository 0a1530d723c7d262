using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// The apiextensions part of a write, run on creates and on every update before the built-in
// validation: a custom resource is pruned, defaulted and validated against its CRD's structural
// schema; a CustomResourceDefinition is defaulted, validated and, once valid, reports its names
// accepted and itself established, as the apiextensions controllers do within moments.
internal static class CustomResourceAdmission
{
    public static List<FieldError> Admit(ResourceType type, JsonObject obj, bool statusOnly, TimeProvider time)
    {
        var errors = new List<FieldError>();
        if (type.Definition?.Schema is { } schema)
        {
            SchemaPruning.Apply(obj, schema);
            SchemaValidation.Validate(obj, schema, errors);
        }
        else if (IsDefinition(type) && !statusOnly)
        {
            CustomResourceDefinitionReader.Default(obj);
            errors.AddRange(CustomResourceDefinitionReader.Validate(obj));
            if (errors.Count == 0)
            {
                CustomResourceDefinitionReader.SetAcceptedStatus(obj, SystemFields.Timestamp(time));
            }
        }

        return errors;
    }

    public static bool IsDefinition(ResourceType type) => type is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" };
}
