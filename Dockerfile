# ovn-unidler operator image. Build: docker build -t ovn-unidler .
# The publish step below is the one tests/OvnUnidler.Deploy.Tests runs on every CI machine.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY config/ config/
COPY src/ src/
RUN dotnet publish src/OvnUnidler.Operator/OvnUnidler.Operator.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_gcServer=0 \
    DOTNET_GCHeapHardLimitPercent=0x4B
# The non-root user of the .NET images (uid 1654); the per-zone DaemonSet overrides it where the
# node's OVN sockets require root.
USER 1654
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/ovn-unidler.dll"]
CMD ["run"]
