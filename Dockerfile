# syntax=docker/dockerfile:1
# The ovn-unidler operator image: docker build -t ovn-unidler .
# tests/OvnUnidler.Deploy.Tests runs this stage's `dotnet` commands (restore, then publish) on every
# CI machine and starts the result, so what the image runs is what the tests published.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Project files first: the restore layer stays cached until a project or package version changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/OvnUnidler.Operator/OvnUnidler.Operator.csproj src/OvnUnidler.Operator/
COPY src/OvnUnidler.Ovsdb/OvnUnidler.Ovsdb.csproj src/OvnUnidler.Ovsdb/
COPY src/OvnUnidler.Entities/OvnUnidler.Entities.csproj src/OvnUnidler.Entities/
COPY src/OvnUnidler.Idling/OvnUnidler.Idling.csproj src/OvnUnidler.Idling/
COPY src/OvnUnidler.Holding/OvnUnidler.Holding.csproj src/OvnUnidler.Holding/
RUN dotnet restore src/OvnUnidler.Operator
COPY config/ config/
COPY src/OvnUnidler.Operator/ src/OvnUnidler.Operator/
COPY src/OvnUnidler.Ovsdb/ src/OvnUnidler.Ovsdb/
COPY src/OvnUnidler.Entities/ src/OvnUnidler.Entities/
COPY src/OvnUnidler.Idling/ src/OvnUnidler.Idling/
COPY src/OvnUnidler.Holding/ src/OvnUnidler.Holding/
# Framework-dependent: the operator needs only Microsoft.NETCore.App (no ASP.NET Core), which the
# runtime image carries. The output includes config/appsettings.json (linked by the project).
RUN dotnet publish src/OvnUnidler.Operator -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app ./
# The .NET images' non-root user "app", by number so that Kubernetes can verify runAsNonRoot.
USER 1654:1654
# /metrics, /healthz, /readyz (Http:Port).
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/ovn-unidler.dll"]
CMD ["run"]
